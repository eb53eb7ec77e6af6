"""Accounts and devices: entities people hold or use, and through which they relate."""

import strawberry

from resolvers import ids
from resolvers.store import Row
from resolvers.types.base import First, Info, Node, first_of
from resolvers.types.profile import Profile

__all__ = ["Account", "Device", "Holding"]


@strawberry.type(description="An account at a source system (shop account, bank account...).")
class Account(Node):
    uid: str
    source: str | None
    source_id: str | None
    account_type: str | None

    @classmethod
    def from_row(cls, row: Row) -> "Account":
        return cls(
            id=strawberry.ID(ids.encode("Account", row["uid"])),
            uid=row["uid"],
            source=row.get("source"),
            source_id=row.get("source_id"),
            account_type=row.get("account_type"),
        )

    @strawberry.field(description="Who holds the account and in which role.")
    async def holders(self, info: Info, first: First = None) -> list["Holding"]:
        found = await info.context.loaders.account.load(self.uid)
        holders = first_of(info, found["holders"] if found else [], first)
        profiles = {p.pid(): p for p in await Profile.load_many(info, [h["profile_id"] for h in holders])}
        return [
            Holding(account=self, profile=profiles[h["profile_id"]], role=h.get("role"))
            for h in holders
            if h["profile_id"] in profiles
        ]


@strawberry.type(description="A device (browser, phone, tablet) seen with a person's records.")
class Device(Node):
    uid: str
    source: str | None
    source_id: str | None
    device_type: str | None

    @classmethod
    def from_row(cls, row: Row) -> "Device":
        return cls(
            id=strawberry.ID(ids.encode("Device", row["uid"])),
            uid=row["uid"],
            source=row.get("source"),
            source_id=row.get("source_id"),
            device_type=row.get("device_type"),
        )

    @strawberry.field(description="Profiles whose records used the device.")
    async def users(self, info: Info, first: First = None) -> list[Profile]:
        found = await info.context.loaders.device.load(self.uid)
        return first_of(info, await Profile.load_many(info, found["users"] if found else []), first)


@strawberry.type(description="An account held by a profile, in a role (owner, joint holder...).")
class Holding:
    account: Account
    role: str | None
    profile: Profile | None = strawberry.field(description="The holder; null when hidden from the caller.")

    @classmethod
    def from_row(cls, row: Row, profile: Profile | None = None) -> "Holding":
        return cls(account=Account.from_row(row["account"]), role=row.get("role"), profile=profile)
