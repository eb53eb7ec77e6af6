"""Every database call the API makes: catalog queries run off the event loop, timed, as plain
Python values (neo4j.time types become datetime/date)."""

import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread

from graph.connection import Graph

from resolvers.metrics import Metrics

__all__ = ["Store", "native"]

T = TypeVar("T")
Row = dict[str, Any]


_PLAIN = frozenset({str, int, float, bool, type(None)})


def native(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # nearly every value: checked first, as rows can be large
        return value
    if kind is dict:
        return {k: native(v) for k, v in value.items()}
    if kind is list:
        return [native(v) for v in value]
    return value.to_native() if hasattr(value, "to_native") else value


class Store:
    """The graph as the API sees it. The neo4j driver blocks, so calls run in worker threads."""

    def __init__(self, graph: Graph, metrics: Metrics) -> None:
        self.graph = graph
        self.metrics = metrics

    async def read(self, query: str, /, **params: Any) -> list[Row]:
        rows = await self.call(query, partial(self.graph.read, query, **params))
        return [native(row) for row in rows]

    async def write(self, query: str, /, **params: Any) -> list[Row]:
        rows = await self.call(query, partial(self.graph.write, query, **params))
        return [native(row) for row in rows]

    async def call(self, label: str, fn: Callable[[], T]) -> T:
        """Run blocking graph work (a query, a steward operation) and time it under `label`."""
        started = time.perf_counter()
        try:
            return await anyio.to_thread.run_sync(fn)
        finally:
            self.metrics.query_seconds.labels(label).observe(time.perf_counter() - started)
