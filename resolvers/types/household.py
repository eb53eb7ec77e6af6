"""Households: profiles that live together, found from weak evidence (address, joint accounts)."""

import strawberry

from resolvers import ids
from resolvers.pii import ReadsPii
from resolvers.store import Row
from resolvers.types.base import First, Info, Node, first_of
from resolvers.types.entities import Account, Device
from resolvers.types.profile import Profile

__all__ = ["Household"]


@strawberry.type(description="People who live together.")
class Household(Node):
    hid: str
    address: str | None = strawberry.field(extensions=[ReadsPii()])
    size: int | None
    evidence: list[str] = strawberry.field(description="What groups the members: address, device, account.")
    member_rows: strawberry.Private[list[Row]]

    @classmethod
    def from_row(cls, row: Row) -> "Household":
        return cls(
            id=strawberry.ID(ids.encode("Household", row["hid"])),
            hid=row["hid"],
            address=row.get("address"),
            size=row.get("size"),
            evidence=list(row.get("evidence") or []),
            member_rows=row["members"],
        )

    @classmethod
    async def load(cls, info: Info, hid: str) -> "Household | None":
        row = await info.context.loaders.household.load(hid)
        return cls.from_row(row) if row else None

    def pii_subjects(self) -> list[str]:
        return [row["pid"] for row in self.member_rows]

    @strawberry.field
    def members(self, info: Info, first: First = None) -> list[Profile]:
        # The household queries bring the members' profiles along; prime the profile loader so
        # that anything else asking for them this request does not fetch them again.
        profiles = info.context.loaders.profile
        for row in self.member_rows:
            profiles.prime(row["pid"], row)
        visible = [p for p in (Profile.visible(info.context, row) for row in self.member_rows) if p is not None]
        return first_of(info, visible, first)

    @strawberry.field(description="Accounts held by two or more members.")
    async def shared_accounts(self, info: Info, first: First = None) -> list[Account]:
        shared = await info.context.loaders.household_shared.load(self.hid)
        return [Account.from_row(r) for r in first_of(info, shared["accounts"], first)]

    @strawberry.field(description="Devices used by two or more members.")
    async def shared_devices(self, info: Info, first: First = None) -> list[Device]:
        shared = await info.context.loaders.household_shared.load(self.hid)
        return [Device.from_row(r) for r in first_of(info, shared["devices"], first)]
