"""Organizations: employers and member bodies, their corporate tree, people and accounts."""

from datetime import date

import strawberry

from resolvers import ids
from resolvers.errors import BadInput
from resolvers.permissions import IsSteward
from resolvers.store import Row
from resolvers.types.base import First, Info, Node, first_of
from resolvers.types.entities import Holding
from resolvers.types.profile import Profile
from resolvers.types.record import SourceRecord

__all__ = ["Membership", "Organization", "Subsidiary"]

MAX_SUBSIDIARY_DEPTH = 10


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


@strawberry.type(description="A company or other organization.")
class Organization(Node):
    uid: str
    source: str | None
    source_id: str | None
    name: str | None
    domain: str | None
    country: str | None
    parent_uid: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: Row) -> "Organization":
        return cls(
            id=strawberry.ID(ids.encode("Organization", row["uid"])),
            uid=row["uid"],
            source=row.get("source"),
            source_id=row.get("source_id"),
            name=row.get("name"),
            domain=row.get("domain"),
            country=row.get("country"),
            parent_uid=row.get("parent_uid"),
        )

    @classmethod
    async def load(cls, info: Info, uid: str) -> "Organization | None":
        row = await info.context.loaders.organization.load(uid)
        return cls.from_row(row) if row else None

    @strawberry.field(description="The organization this one is a subsidiary of.")
    async def parent(self, info: Info) -> "Organization | None":
        if self.parent_uid is None:
            row = await info.context.loaders.organization.load(self.uid)
            self.parent_uid = row.get("parent_uid") if row else None
        return await Organization.load(info, self.parent_uid) if self.parent_uid else None

    @strawberry.field(description="Subsidiaries down to `depth` levels, nearest first.")
    async def subsidiaries(self, info: Info, depth: int = 1, first: First = None) -> list["Subsidiary"]:
        if not 1 <= depth <= MAX_SUBSIDIARY_DEPTH:
            raise BadInput(f"depth must be between 1 and {MAX_SUBSIDIARY_DEPTH}")
        rows = first_of(info, await info.context.loaders.subsidiaries.load((self.uid, depth)), first)
        return [Subsidiary(organization=Organization.from_row(r["organization"]), level=r["level"]) for r in rows]

    @strawberry.field(description="People employed by or members of the organization, with their roles.")
    async def people(self, info: Info, first: First = None) -> list["Membership"]:
        rows = await info.context.loaders.people.load(self.uid)
        return first_of(info, await Membership.visible(info, rows), first)

    @strawberry.field(description="Accounts held by the organization, or by its people (see `profile`).")
    async def accounts(self, info: Info, first: First = None) -> list[Holding]:
        rows = await info.context.loaders.organization_accounts.load(self.uid)
        pids = [r["profile_id"] for r in rows if r.get("profile_id")]
        profiles = {p.pid(): p for p in await Profile.load_many(info, pids)}
        holdings = [
            Holding.from_row(r, profiles.get(r["profile_id"]))
            for r in rows
            if r.get("profile_id") is None or r["profile_id"] in profiles
        ]
        return first_of(info, holdings, first)


@strawberry.type
class Subsidiary:
    organization: Organization
    level: int = strawberry.field(description="1 for a direct subsidiary, 2 for its subsidiaries...")


@strawberry.type(description="A person's employment (WORKS_AT) or membership (MEMBER_OF) in an organization.")
class Membership:
    organization: Organization
    relation: str = strawberry.field(description="WORKS_AT or MEMBER_OF.")
    title: str | None
    role: str | None
    since: date | None
    until: date | None
    profile_id: strawberry.Private[str | None]
    record_uid: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: Row) -> "Membership":
        return cls(
            organization=Organization.from_row(row["organization"]),
            relation=row["relation"],
            title=row.get("title"),
            role=row.get("role"),
            since=_date(row.get("since")),
            until=_date(row.get("until")),
            profile_id=row.get("profile_id"),
            record_uid=row["record_uid"],
        )

    @classmethod
    async def visible(cls, info: Info, rows: list[Row]) -> list["Membership"]:
        """Memberships whose person the caller may see (restricted profiles drop out for apps)."""
        pids = [r["profile_id"] for r in rows if r.get("profile_id")]
        seen = {p.pid() for p in await Profile.load_many(info, pids)}
        return [cls.from_row(r) for r in rows if r.get("profile_id") in seen]

    @strawberry.field
    async def profile(self, info: Info) -> Profile | None:
        return await Profile.load(info, self.profile_id) if self.profile_id else None

    @strawberry.field(permission_classes=[IsSteward], description="The source record stating it.")
    async def record(self, info: Info) -> SourceRecord | None:
        row = await info.context.loaders.record.load(self.record_uid)
        return SourceRecord.from_row(row) if row else None
