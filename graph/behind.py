"""Write behind: one write at a time on a thread of its own while the caller prepares the next.

A long batch job alternates Python work (decoding a page, survivorship) with waiting for Neo4j
to commit what that work produced. Both are CPU-bound, on different processes, so running the
commit of batch k while Python computes batch k+1 lets the two overlap on a multi-core machine
(a first build of 200k records spent about half its wall time in each). One write in flight, at
most: memory stays bounded by two batches, and writes land in the order they were handed over.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

__all__ = ["WriteBehind"]


class WriteBehind:
    """`with WriteBehind() as behind: behind.submit(graph.write_many, steps)`.

    `submit` first waits for the previous write, and raises its error; leaving the block waits
    for the last one, also when the block raised (so no write goes on after its caller gave up,
    which for a lease holder means after the lease is released)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="c360-write-behind")
        self._last: Future[Any] | None = None

    def submit(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.wait()
        self._last = self._pool.submit(write, *args, **kwargs)

    def wait(self) -> None:
        """Block until the write in flight, if any, has landed; raise its error."""
        last, self._last = self._last, None
        if last is not None:
            last.result()

    def __enter__(self) -> "WriteBehind":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.wait()
            elif self._last is not None:
                # The block's own error is the one to see; the write is only waited for.
                self._last.exception()
        finally:
            self._pool.shutdown(wait=True)
