"""Source records: one person as one source system sent them, kept as they came."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from resolvers import ids
from resolvers.pii import ReadsPii
from resolvers.store import Row
from resolvers.types.base import Info, Node

if TYPE_CHECKING:
    from resolvers.types.profile import Profile

__all__ = ["SourceRecord"]

# Bookkeeping properties that say nothing about the person.
_INTERNAL = frozenset({"row_hash", "pending", "raw", "profile_id"})


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@strawberry.type(description="One source record of a person (steward and admin roles only).")
class SourceRecord(Node):
    uid: str
    source: str | None
    source_id: str | None
    first_name: str | None = strawberry.field(extensions=[ReadsPii()])
    last_name: str | None = strawberry.field(extensions=[ReadsPii()])
    full_name: str | None = strawberry.field(extensions=[ReadsPii()])
    birth_date: date | None = strawberry.field(extensions=[ReadsPii()])
    street: str | None = strawberry.field(extensions=[ReadsPii()])
    city: str | None = strawberry.field(extensions=[ReadsPii()])
    postcode: str | None = strawberry.field(extensions=[ReadsPii()])
    country: str | None
    source_file: str | None
    ingested_at: datetime | None
    loaded_at: datetime | None
    updated_at: datetime | None
    raw: str | None = strawberry.field(description="The source row as it arrived (JSON text).", extensions=[ReadsPii()])
    row: strawberry.Private[Row]

    @classmethod
    def from_row(cls, row: Row) -> "SourceRecord":
        birth = row.get("birth_date")
        return cls(
            id=strawberry.ID(ids.encode("SourceRecord", row["uid"])),
            uid=row["uid"],
            source=row.get("source"),
            source_id=row.get("source_id"),
            first_name=row.get("first_name"),
            last_name=row.get("last_name"),
            full_name=row.get("full_name"),
            birth_date=birth if isinstance(birth, date) else None,
            street=row.get("street"),
            city=row.get("city"),
            postcode=row.get("postcode"),
            country=row.get("country"),
            source_file=row.get("source_file"),
            ingested_at=row.get("ingested_at"),
            loaded_at=row.get("loaded_at"),
            updated_at=row.get("updated_at"),
            raw=row.get("raw"),
            row=row,
        )

    def pii_subjects(self) -> list[str]:
        pid = self.row.get("profile_id")
        return [self.uid, pid] if pid else [self.uid]

    @strawberry.field(description="Every stored attribute of the record.", extensions=[ReadsPii()])
    def attributes(self) -> JSON:
        return cast(JSON, {k: _plain(v) for k, v in sorted(self.row.items()) if k not in _INTERNAL})

    @strawberry.field(description="The profile this record belongs to.")
    async def profile(self, info: Info) -> Annotated["Profile", strawberry.lazy("resolvers.types.profile")] | None:
        from resolvers.types.profile import Profile

        pid = self.row.get("profile_id")
        if pid is None:
            record = await info.context.loaders.record.load(self.uid)
            pid = record and record.get("profile_id")
        return await Profile.load(info, pid) if pid else None
