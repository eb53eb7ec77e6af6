"""Saved segments: definition, size and materialized members (graph/segments)."""

import json
from functools import partial

import strawberry

from graph import segments
from resolvers import cursors
from resolvers.store import Row
from resolvers.types.base import Connection, Info, connection
from resolvers.types.profile import Profile

__all__ = ["Segment", "SegmentPreview"]


@strawberry.type(description="A segment's size and first members, evaluated now (nothing stored).")
class SegmentPreview:
    size: int
    sample: list[Profile]


@strawberry.type(description="A saved segment; membership is materialized and kept current after resolution.")
class Segment:
    row: strawberry.Private[Row]

    @strawberry.field
    def name(self) -> str:
        return str(self.row["name"])

    @strawberry.field(description="The definition as JSON (see the README's Analytics section).")
    def definition(self) -> str:
        return json.dumps(json.loads(self.row["definition"]), sort_keys=True)

    @strawberry.field(description="Members now (restricted profiles never count).")
    def size(self) -> int:
        return int(self.row.get("size") or 0)

    @strawberry.field(description="Members in profile-id order; `after` takes an endCursor.")
    async def members(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Profile]:
        limit = cursors.page_size(first, info.context.config.max_page_size)
        position = cursors.decode(after, "s", str)
        start = position[0] if position else None
        pids = await info.context.run_engine(
            "segment.members",
            partial(segments.members, info.context.store.graph, str(self.row["name"]), limit + 1, start),
            writes=False,
        )
        profiles = await Profile.load_many(info, pids[:limit])
        items = [(cursors.encode("s", p.pid()), p) for p in profiles]
        return connection(items, total=self.size(), has_next=len(pids) > limit, has_previous=after is not None)
