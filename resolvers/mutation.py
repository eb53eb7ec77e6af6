"""The Mutation root: steward decisions, golden-value overrides, real-time events, key revocation."""

from datetime import UTC, datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from resolvers import ids, stewardship
from resolvers.permissions import IsAdmin, IsSteward
from resolvers.types.base import Info
from resolvers.types.profile import Profile

__all__ = ["Mutation"]


@strawberry.enum(description="Golden attributes a steward may override.")
class GoldenField(Enum):
    DISPLAY_NAME = "display_name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    BIRTH_DATE = "birth_date"
    EMAIL = "email"
    PHONE = "phone"
    STREET = "street"
    CITY = "city"
    POSTCODE = "postcode"
    COUNTRY = "country"


@strawberry.type(description="The profiles a steward operation changed (merged, split, created).")
class StewardResult:
    profile_ids: list[strawberry.ID]

    @strawberry.field
    async def profiles(self, info: Info) -> list[Profile]:
        return await Profile.load_many(info, [ids.decode(pid, "Profile")[1] for pid in self.profile_ids])

    @classmethod
    def of(cls, pids: list[str]) -> "StewardResult":
        return cls(profile_ids=[strawberry.ID(ids.encode("Profile", pid)) for pid in pids])


@strawberry.input(description="One source row, as the named built-in mapping expects it.")
class IngestEventInput:
    mapping: str = strawberry.field(description="Built-in mapping, e.g. web_events or shop_customers.")
    row: JSON


@strawberry.type
class IngestResult:
    quarantined: bool
    reasons: list[str]
    profile_ids: list[strawberry.ID]

    @strawberry.field(description="The profiles the event reached, as they are now.")
    async def profiles(self, info: Info) -> list[Profile]:
        return await Profile.load_many(info, [ids.decode(pid, "Profile")[1] for pid in self.profile_ids])


def _records(record_a: strawberry.ID, record_b: strawberry.ID) -> tuple[str, str]:
    return ids.decode(record_a, "SourceRecord")[1], ids.decode(record_b, "SourceRecord")[1]


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[IsSteward], description="Same person: keep these records together.")
    async def link_records(
        self, info: Info, record_a: strawberry.ID, record_b: strawberry.ID, reason: str | None = None,
    ) -> StewardResult | None:
        return StewardResult.of(await stewardship.link(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(permission_classes=[IsSteward], description="Not the same person: keep these records apart.")
    async def unlink_records(
        self, info: Info, record_a: strawberry.ID, record_b: strawberry.ID, reason: str | None = None,
    ) -> StewardResult | None:
        return StewardResult.of(await stewardship.unlink(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(permission_classes=[IsSteward], description="Each record its own profile unless linked.")
    async def split_profile(self, info: Info, id: strawberry.ID, reason: str | None = None) -> StewardResult | None:
        return StewardResult.of(await stewardship.split(info.context, ids.decode(id, "Profile")[1], reason))

    @strawberry.mutation(permission_classes=[IsSteward],
                         description="Override a golden value; null withdraws the override.")
    async def set_golden_value(
        self, info: Info, profile_id: strawberry.ID, field: GoldenField, value: str | None,
        reason: str | None = None,
    ) -> Profile | None:
        pid = ids.decode(profile_id, "Profile")[1]
        await stewardship.set_golden(info.context, pid, field.value, value, reason)
        return await Profile.load(info, pid)

    @strawberry.mutation(description="One record or touchpoint in real time, resolved before this returns.")
    async def ingest_event(self, info: Info, input: IngestEventInput) -> IngestResult:
        result = await stewardship.ingest(info.context, input.mapping, input.row)
        return IngestResult(
            quarantined=bool(result["quarantined"]), reasons=[str(r) for r in result["reasons"]],
            profile_ids=[strawberry.ID(ids.encode("Profile", pid)) for pid in result["profile_ids"]],
        )

    @strawberry.mutation(permission_classes=[IsAdmin], description="Revoke an API key (admin).")
    async def revoke_api_key(self, info: Info, id: str) -> bool | None:
        rows = await info.context.store.write("api_key_revoke", id=id, by=info.context.principal.name,
                                              now=datetime.now(UTC))
        return bool(rows)
