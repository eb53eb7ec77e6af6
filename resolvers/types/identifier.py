"""Identifiers (email, phone, login, loyalty id, cookie...) as merged across a profile's records."""

from datetime import datetime

import strawberry

from resolvers import ids
from resolvers.masking import mask_identifier
from resolvers.pii import ReadsPii
from resolvers.store import Row
from resolvers.types.base import Node

__all__ = ["Identifier"]


@strawberry.type(description="A normalized identifier and which sources have seen it.")
class Identifier(Node):
    key: str = strawberry.field(extensions=[ReadsPii()])
    kind: str
    value: str = strawberry.field(
        description="Partly masked for the app role (emails, phones).", extensions=[ReadsPii()]
    )
    sources: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    held_out: bool = strawberry.field(
        description="Held out of merging: shared by more records than its kind's cap (a call-centre phone)."
    )
    records: strawberry.Private[list[str]]
    """The records carrying it, when known: whose identifier a steward read (a profile's
    identifiers are accounted to the profile instead)."""

    def pii_subjects(self) -> list[str]:
        return self.records

    @classmethod
    def from_row(cls, row: Row, *, masked_with: bytes | None) -> "Identifier":
        """`masked_with`: the id key for callers who see masked values, None for the others."""
        masked = masked_with is not None
        value = mask_identifier(row["kind"], row["value"]) if masked else row["value"]
        # A masked identifier's key would give the value away, so it is masked the same way.
        key = f"{row['kind']}:{value}" if masked else row["key"]
        return cls(
            id=strawberry.ID(ids.identifier_id(row["key"], masked_with=masked_with)),
            key=key,
            kind=row["kind"],
            value=value,
            sources=sorted(row.get("sources") or []),
            first_seen=row.get("first_seen"),
            last_seen=row.get("last_seen"),
            held_out=bool(row.get("held_out")),
            records=list(row.get("records") or []),
        )
