"""The Subscription root: the change feed pushed over graphql-transport-ws."""

from collections.abc import AsyncGenerator

import strawberry

from resolvers import changes
from resolvers.types.base import Info
from resolvers.types.change import ChangeEvent

__all__ = ["Subscription"]


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "Each change as it commits, after `after` (an event's cursor; default: from now on). Resume after a "
            "reconnect by passing the last cursor received: nothing is skipped; deduplicate by event id. "
            "Role rules as for `changes`."
        )
    )
    async def profile_changes(
        self,
        info: Info,
        types: list[str] | None = None,
        profile_id: strawberry.ID | None = None,
        after: str | None = None,
    ) -> AsyncGenerator[ChangeEvent, None]:
        async for event in changes.stream(info.context, types, profile_id, after):
            yield event
