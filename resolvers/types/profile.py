"""The unified profile of a person, with its golden attributes and everything linked to it."""

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers import cursors, ids
from resolvers.dataloaders import RelatedKey, TouchpointKey
from resolvers.errors import BadInput
from resolvers.permissions import IsSteward
from resolvers.pii import ReadsPii
from resolvers.related import RelationKind, kinds_of, relationship_types
from resolvers.store import Row
from resolvers.types.base import Connection, First, Info, Node, connection, first_of
from resolvers.types.consent import ConsentStatement
from resolvers.types.golden import Address, CustomAttribute, GoldenValue, instant, masked_value
from resolvers.types.history import ResolutionEvent
from resolvers.types.identifier import Identifier
from resolvers.types.record import SourceRecord
from resolvers.types.touchpoint import Touchpoint
from resolvers.types.traits import Traits

if TYPE_CHECKING:
    from resolvers.context import Context
    from resolvers.types.entities import Device, Holding
    from resolvers.types.household import Household
    from resolvers.types.organization import Membership

__all__ = ["Profile", "RelatedProfile"]

MAX_RELATED_DEPTH = 3


def _utc(value: datetime | None) -> datetime | None:
    """Caller times without a zone are UTC, like every time in the graph."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@strawberry.type(description="A unified person: source records resolved into one profile with a stable id.")
class Profile(Node):
    row: strawberry.Private[Row]

    @classmethod
    def visible(cls, context: "Context", row: Row | None) -> "Profile | None":
        """Every Profile is built here: restricted profiles do not exist for the app role."""
        if row is None or (row.get("restricted") and not context.see_restricted):
            return None
        return cls(id=strawberry.ID(ids.encode("Profile", row["pid"])), row=row)

    @classmethod
    async def load(cls, info: Info, pid: str) -> "Profile | None":
        return cls.visible(info.context, await info.context.loaders.profile.load(pid))

    @classmethod
    async def load_many(cls, info: Info, pids: list[str]) -> list["Profile"]:
        rows = await info.context.loaders.profile.load_many(pids)
        return [p for p in (cls.visible(info.context, row) for row in rows) if p is not None]

    @strawberry.field(description="The stable profile id (a merged-away id still finds this profile).")
    def pid(self) -> str:
        return str(self.row["pid"])

    def pii_subjects(self) -> list[str]:
        return [self.pid()]

    @strawberry.field(extensions=[ReadsPii()])
    def display_name(self) -> str | None:
        return self.row.get("display_name")

    @strawberry.field(extensions=[ReadsPii()])
    def first_name(self) -> str | None:
        return self.row.get("first_name")

    @strawberry.field(extensions=[ReadsPii()])
    def last_name(self) -> str | None:
        return self.row.get("last_name")

    @strawberry.field(extensions=[ReadsPii()])
    def birth_date(self) -> date | None:
        value = self.row.get("birth_date")
        return value if isinstance(value, date) else None

    @strawberry.field(description="Golden email; partly masked for the app role.", extensions=[ReadsPii()])
    def email(self, info: Info) -> str | None:
        return masked_value("email", self.row.get("email"), info.context.masked)

    @strawberry.field(description="Golden phone (E.164); partly masked for the app role.", extensions=[ReadsPii()])
    def phone(self, info: Info) -> str | None:
        return masked_value("phone", self.row.get("phone"), info.context.masked)

    @strawberry.field(description="Golden address.", extensions=[ReadsPii()])
    def address(self) -> Address | None:
        parts = {k: self.row.get(k) for k in ("street", "city", "postcode", "country")}
        return Address(**parts) if any(parts.values()) else None

    @strawberry.field
    def record_count(self) -> int:
        return int(self.row.get("record_count") or 0)

    @strawberry.field
    def sources(self) -> list[str]:
        return list(self.row.get("sources") or [])

    @strawberry.field(
        permission_classes=[IsSteward],
        description="Processing restricted: hidden from apps and contact selection (steward, admin).",
    )
    def restricted(self) -> bool | None:
        return bool(self.row.get("restricted"))

    @strawberry.field
    def created_at(self) -> datetime | None:
        return self.row.get("created_at")

    @strawberry.field
    def updated_at(self) -> datetime | None:
        return self.row.get("updated_at")

    @strawberry.field(
        description="Every golden attribute with the record, source and rule behind it.", extensions=[ReadsPii()]
    )
    def golden(self, info: Info) -> list[GoldenValue]:
        try:
            entries = json.loads(self.row.get("golden") or "{}")
        except ValueError:
            entries = {}
        return [
            GoldenValue.from_entry(field, entry, info.context.masked)
            for field, entry in sorted(entries.items())
            if isinstance(entry, dict)
        ]

    @strawberry.field(description="Every identifier of the profile's records.", extensions=[ReadsPii()])
    async def identifiers(self, info: Info, kind: str | None = None, first: First = None) -> list[Identifier]:
        rows = await info.context.loaders.identifiers.load(self.pid())
        wanted = first_of(info, [r for r in rows if kind is None or r["kind"] == kind], first)
        return [Identifier.from_row(r, masked_with=info.context.id_mask) for r in wanted]

    @strawberry.field(
        description="All emails seen for this person; partly masked for the app role.", extensions=[ReadsPii()]
    )
    async def emails(self, info: Info, first: First = None) -> list[str]:
        return [i.value for i in await self.identifiers(info, "email", first)]

    @strawberry.field(description="All phone numbers (E.164); partly masked for the app role.", extensions=[ReadsPii()])
    async def phones(self, info: Info, first: First = None) -> list[str]:
        return [i.value for i in await self.identifiers(info, "phone", first)]

    @strawberry.field(description="Every distinct address the source records give.", extensions=[ReadsPii()])
    async def addresses(self, info: Info, first: First = None) -> list[Address]:
        seen: dict[tuple[Any, ...], Address] = {}
        for row in await info.context.loaders.records.load(self.pid()):
            key = tuple(row.get(k) for k in ("street", "city", "postcode", "country"))
            if any(key) and key not in seen:
                seen[key] = Address(street=key[0], city=key[1], postcode=key[2], country=key[3])
        return first_of(info, list(seen.values()), first)

    @strawberry.field(
        permission_classes=[IsSteward], description="Source records (steward, admin).", extensions=[ReadsPii()]
    )
    async def records(self, info: Info, first: First = None) -> list[SourceRecord] | None:
        rows = first_of(info, await info.context.loaders.records.load(self.pid()), first)
        return [SourceRecord.from_row(r | {"profile_id": self.pid()}) for r in rows]

    @strawberry.field(description="The statement in force per purpose and channel (the latest wins).")
    async def consents(self, info: Info, first: First = None) -> list[ConsentStatement]:
        statements = first_of(info, await info.context.loaders.consents.load(self.pid()), first)
        return [ConsentStatement.of(s) for s in statements]

    @strawberry.field
    async def devices(
        self, info: Info, first: First = None
    ) -> list[Annotated["Device", strawberry.lazy("resolvers.types.entities")]]:
        from resolvers.types.entities import Device

        return [Device.from_row(r) for r in first_of(info, await info.context.loaders.devices.load(self.pid()), first)]

    @strawberry.field(description="Accounts held, with the role held in each.")
    async def accounts(
        self, info: Info, first: First = None
    ) -> list[Annotated["Holding", strawberry.lazy("resolvers.types.entities")]]:
        from resolvers.types.entities import Holding

        rows = first_of(info, await info.context.loaders.accounts.load(self.pid()), first)
        return [Holding.from_row(r, self) for r in rows]

    @strawberry.field(description="Employments and memberships.")
    async def organizations(
        self,
        info: Info,
        first: First = None,
    ) -> list[Annotated["Membership", strawberry.lazy("resolvers.types.organization")]]:
        from resolvers.types.organization import Membership

        rows = first_of(info, await info.context.loaders.memberships.load(self.pid()), first)
        return [Membership.from_row(r) for r in rows]

    @strawberry.field
    async def household(
        self,
        info: Info,
    ) -> Annotated["Household", strawberry.lazy("resolvers.types.household")] | None:
        from resolvers.types.household import Household

        row = await info.context.loaders.household_of.load(self.pid())
        return Household.from_row(row) if row else None

    @strawberry.field(
        description="Custom attributes from mappings (golden by survivorship), by name.",
        extensions=[ReadsPii()],
    )
    def attributes(self) -> list[CustomAttribute]:
        return CustomAttribute.of(self.row)

    @strawberry.field(
        description="Computed traits (RFM, lifecycle, CLV, engagement, sentiment); null before the first refresh."
    )
    def traits(self) -> Traits | None:
        return Traits.of(self.row)

    @strawberry.field(description="Touchpoints, newest first; `after` takes an endCursor.")
    async def touchpoints(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        channel: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Connection[Touchpoint]:
        limit = cursors.page_size(first, info.context.config.max_page_size)
        position = cursors.decode(after, "t", str, str)
        after_key = None
        if position is not None:
            at = instant(position[0])
            if at is None:
                raise BadInput("invalid cursor")
            after_key = (at, position[1])
        if channel is not None and len(channel) > 64:
            raise BadInput("channel is too long")
        page = await info.context.loaders.touchpoints.load(
            TouchpointKey(self.pid(), limit, after_key, channel, _utc(since), _utc(until))
        )
        rows = page["touchpoints"]
        items = [(cursors.encode("t", r["sort_at"], r["uid"]), Touchpoint.from_row(r)) for r in rows[:limit]]
        return connection(items, total=page["total"], has_next=len(rows) > limit, has_previous=after is not None)

    @strawberry.field(permission_classes=[IsSteward], description="Merges, splits and steward decisions, newest first.")
    async def merge_history(self, info: Info, first: First = None) -> list[ResolutionEvent] | None:
        rows = first_of(info, await info.context.loaders.events.load(self.pid()), first)
        return [ResolutionEvent.from_row(r) for r in rows]

    @strawberry.field(description="Profiles related through shared households, accounts, devices or organizations.")
    async def related_profiles(
        self,
        info: Info,
        depth: int = 1,
        via: list[RelationKind] | None = None,
        first: First = None,
    ) -> list["RelatedProfile"]:
        if not 1 <= depth <= MAX_RELATED_DEPTH:
            raise BadInput(f"depth must be between 1 and {MAX_RELATED_DEPTH}")
        types, household = relationship_types(list(RelationKind) if via is None else via)
        rows = await info.context.loaders.related.load(RelatedKey(self.pid(), depth, types, household))
        profiles = await Profile.load_many(info, [r["pid"] for r in rows])
        by_pid = {p.pid(): p for p in profiles}
        related = [
            RelatedProfile(profile=by_pid[r["pid"]], depth=r["depth"], via=kinds_of(r["via"]))
            for r in rows
            if r["pid"] in by_pid
        ]
        return first_of(info, related, first)


@strawberry.type(description="A profile related to another, how far away, and through what.")
class RelatedProfile:
    profile: Profile
    depth: int
    via: list[RelationKind]
