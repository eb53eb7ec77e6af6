"""node(id): any API object by its global id, with the same permissions as the fields that
return it."""

from resolvers import ids
from resolvers.errors import Forbidden
from resolvers.types.base import Info, Node
from resolvers.types.entities import Account, Device
from resolvers.types.household import Household
from resolvers.types.identifier import Identifier
from resolvers.types.organization import Organization
from resolvers.types.profile import Profile
from resolvers.types.record import SourceRecord
from resolvers.types.touchpoint import Touchpoint

__all__ = ["resolve_node"]


async def resolve_node(info: Info, global_id: str) -> Node | None:
    type_name, key = ids.decode(global_id)
    loaders = info.context.loaders
    if type_name == "Profile":
        return await Profile.load(info, key)
    if type_name == "SourceRecord":
        if info.context.masked:
            raise Forbidden("source records need the steward or admin role")
        row = await loaders.record.load(key)
        return SourceRecord.from_row(row) if row else None
    if type_name == "Identifier":
        row = await loaders.identifier.load(key)
        return Identifier.from_row(row, masked_with=info.context.id_mask) if row else None
    if type_name == "Household":
        return await Household.load(info, key)
    if type_name == "Organization":
        return await Organization.load(info, key)
    if type_name == "Account":
        found = await loaders.account.load(key)
        return Account.from_row(found["account"]) if found else None
    if type_name == "Device":
        found = await loaders.device.load(key)
        return Device.from_row(found["device"]) if found else None
    row = await loaders.touchpoint.load(key)
    return Touchpoint.from_row(row) if row else None
