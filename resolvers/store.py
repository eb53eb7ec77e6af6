"""Every database call the API makes, timed: catalog queries on the event loop through the async
driver, blocking graph work (the identity engine, privacy operations) in worker threads. Rows come
back as plain Python values (neo4j.time types become datetime/date)."""

import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio.to_thread

from graph import values
from graph.async_connection import AsyncGraph
from graph.connection import Graph
from resolvers.coalesce import Coalescer
from resolvers.metrics import Metrics

__all__ = ["Store", "native"]

T = TypeVar("T")
Row = dict[str, Any]


_PLAIN = frozenset({str, int, float, bool, type(None)})


def native(value: Any) -> Any:
    """A row as plain Python: `graph.values.native` on every value, walking into lists and maps."""
    kind = type(value)
    if kind in _PLAIN:  # nearly every value: checked first, as rows can be large
        return value
    if kind is dict:
        return {k: native(v) for k, v in value.items()}
    if kind is list:
        return [native(v) for v in value]
    return values.native(value)


class Store:
    """The graph as the API sees it: `async_graph` for catalog queries, `graph` for blocking work."""

    def __init__(self, graph: Graph, async_graph: AsyncGraph, metrics: Metrics) -> None:
        self.graph = graph
        self.async_graph = async_graph
        self.metrics = metrics
        self.coalescer = Coalescer()

    async def lookup(self, query: str, param: str, keys: list[str], **params: Hashable) -> list[Row]:
        """Rows of `query` for `keys` (passed as `$param`; each row names its `key`), in one round
        trip with the lookups other requests make meanwhile of the same query and `params`."""
        return await self.coalescer.lookup(
            (query, *sorted(params.items())), keys, lambda batch: self.read(query, **{param: batch}, **params)
        )

    async def audit(self, entry: Row) -> None:
        """Append an audit entry, committed before this returns, in one transaction with the
        entries other requests append meanwhile (group commit)."""
        await self.coalescer.together(
            "audit", [entry], lambda entries: self.write("privacy_audit_record", entries=entries)
        )

    async def read(self, query: str, /, **params: Any) -> list[Row]:
        with self._timed(query):
            rows = await self.async_graph.read(query, **params)
        return [native(row) for row in rows]

    async def write(self, query: str, /, **params: Any) -> list[Row]:
        with self._timed(query):
            rows = await self.async_graph.write(query, **params)
        return [native(row) for row in rows]

    async def call(self, label: str, fn: Callable[[], T]) -> T:
        """Run blocking graph work (a steward operation, an export) in a worker thread."""
        with self._timed(label):
            return await anyio.to_thread.run_sync(fn)

    @contextmanager
    def _timed(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.metrics.query_seconds.labels(label).observe(time.perf_counter() - started)
