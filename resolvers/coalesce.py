"""Concurrent requests share round trips to Neo4j.

Each request has its own dataloaders: their caches never serve one caller another's data, and
they batch one request's keys. Under load, many requests need the same kind of round trip at
the same moment (profile P1 for one caller, P2 for another; an audit entry each), and each round
trip costs the 2-core machine more in driver and Neo4j work than the lookup or write itself.
So while one round trip of a kind is in flight, later ones of that kind wait for it to finish
and then go together, as one `UNWIND` statement; nothing is kept once the callers have their
answers.

At low load nothing waits: a round trip with none in flight goes at once. Under load the batches
grow by themselves. Freshness holds: a waiting caller's statement starts after the caller asked.

Lane kinds include caller input (a touchpoint page's cursor and filters), so lanes must not pile
up: a lane exists only while a round trip of its kind is in flight and is dropped when it goes
idle, and at most `max_lanes` exist at once; past that a round trip goes alone, uncoalesced.
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_LANES", "Coalescer"]

MAX_LANES = 1024
"""Lanes at once: more distinct kinds in flight than this and the rest simply do not coalesce."""

Row = dict[str, Any]
Run = Callable[[list[Any]], Awaitable[Any]]


@dataclass
class _Lane:
    waiting: list[tuple[list[Any], "asyncio.Future[Any]"]] = field(default_factory=list)


class Coalescer:
    def __init__(self, max_lanes: int = MAX_LANES) -> None:
        self._lanes: dict[Hashable, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._max_lanes = max_lanes

    def __len__(self) -> int:
        """Lanes in use now (each has a round trip in flight)."""
        return len(self._lanes)

    async def together(self, kind: Hashable, items: list[Any], run: Run) -> Any:
        """`run(items)`; or, while a run of `kind` is in flight, one later run over the items of
        every caller that waited meanwhile, whose result each of them gets."""
        lane = self._lanes.get(kind)
        if lane is not None:
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            lane.waiting.append((items, future))
            return await future
        if len(self._lanes) >= self._max_lanes:
            return await run(items)
        lane = self._lanes[kind] = _Lane()
        try:
            return await run(items)
        finally:
            self._next(kind, lane, run)

    async def lookup(
        self,
        kind: Hashable,
        keys: list[str],
        fetch: Callable[[list[str]], Awaitable[list[Row]]],
    ) -> list[Row]:
        """Rows for `keys` (each row names its `key`), fetched together with other callers' keys:
        the rows of theirs are left out."""
        rows: list[Row] = await self.together(kind, keys, lambda batch: fetch(sorted(set(batch))))
        own = set(keys)
        return [row for row in rows if row["key"] in own]

    def _next(self, kind: Hashable, lane: _Lane, run: Run) -> None:
        batch = [(items, future) for items, future in lane.waiting if not future.done()]
        lane.waiting = []
        if not batch:
            # Idle: the lane goes, so kinds seen once (a cursor, a filter) leave nothing behind.
            if self._lanes.get(kind) is lane:
                del self._lanes[kind]
            return
        task = asyncio.get_running_loop().create_task(self._run(kind, lane, batch, run))
        # The loop holds tasks weakly: this keeps each one until it is done.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(
        self, kind: Hashable, lane: _Lane, batch: list[tuple[list[Any], "asyncio.Future[Any]"]], run: Run
    ) -> None:
        try:
            result = await run([item for items, _ in batch for item in items])
        except Exception as error:  # every caller in the batch gets the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
        except BaseException:
            for _, future in batch:
                future.cancel()
            raise
        else:
            for _, future in batch:
                if not future.done():
                    future.set_result(result)
        finally:
            self._next(kind, lane, run)
