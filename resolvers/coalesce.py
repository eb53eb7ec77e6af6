"""Concurrent requests' lookups by key share round trips to Neo4j.

Each request has its own dataloaders: their caches never serve one caller another's data, and
they batch one request's keys. Under load, many requests want the same kind of row at the same
moment (profile P1 for one caller, P2 for another), and each round trip costs the 2-core machine
more in driver and Neo4j work than the lookup itself. So while a lookup of one kind is in
flight, later lookups of that kind wait for it to finish and then go together, as one
`UNWIND $keys` query; every caller gets back only the rows of its own keys, and nothing is kept
once they have them.

At low load nothing waits: a lookup with none in flight goes at once. Under load the batches
grow by themselves. Freshness holds: a waiting lookup's query starts after its caller asked.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Coalescer"]

Row = dict[str, Any]
Fetch = Callable[[list[str]], Awaitable[list[Row]]]


@dataclass
class _Lane:
    busy: bool = False
    waiting: list[tuple[list[str], "asyncio.Future[list[Row]]"]] = field(default_factory=list)


class Coalescer:
    """Runs `fetch(keys)` for lookups of one kind (a name); rows must carry their `key`."""

    def __init__(self) -> None:
        self._lanes: dict[str, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.batches = 0
        """Round trips made: fewer than lookups when lookups were coalesced."""

    async def lookup(self, kind: str, keys: list[str], fetch: Fetch) -> list[Row]:
        lane = self._lanes.setdefault(kind, _Lane())
        if lane.busy:
            future: asyncio.Future[list[Row]] = asyncio.get_running_loop().create_future()
            lane.waiting.append((keys, future))
            return await future
        lane.busy = True
        try:
            self.batches += 1
            return await fetch(keys)
        finally:
            self._next(lane, fetch)

    def _next(self, lane: _Lane, fetch: Fetch) -> None:
        batch = [(keys, future) for keys, future in lane.waiting if not future.done()]
        lane.waiting = []
        if not batch:
            lane.busy = False
            return
        task = asyncio.get_running_loop().create_task(self._run(lane, batch, fetch))
        # The loop holds tasks weakly: this keeps each one until it is done.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, lane: _Lane, batch: list[tuple[list[str], "asyncio.Future[list[Row]]"]],
                   fetch: Fetch) -> None:
        try:
            self.batches += 1
            rows = await fetch(sorted({key for keys, _ in batch for key in keys}))
        except Exception as error:  # every caller in the batch gets the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
        except BaseException:
            for _, future in batch:
                future.cancel()
            raise
        else:
            by_key: dict[str, list[Row]] = {}
            for row in rows:
                by_key.setdefault(row["key"], []).append(row)
            for keys, future in batch:
                if not future.done():
                    future.set_result([row for key in dict.fromkeys(keys) for row in by_key.get(key, ())])
        finally:
            self._next(lane, fetch)
