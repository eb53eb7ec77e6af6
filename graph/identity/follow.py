"""Work a micro-batch leaves for after its waiters are answered: the trait refresh.

An event's response needs its profile, not the profile's traits and segment membership. So the
micro-batcher hands the profiles each batch wrote to a `TraitFollower` and answers its waiters
at once; one background thread per process refreshes them, the profiles of every batch that
finished meanwhile together (one refresh for many batches under load, not one per batch).

Nothing is lost if the process dies first: resolution marked those profiles
`traits_pending` in the batch's own transaction, and any later refresh (the next batch's,
`c360 resolve`, `c360 traits refresh`) works the marks off.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph.connection import Graph
from graph.traits import refresh_pending
from graph.traits.refresh import CHUNK

__all__ = ["FollowStats", "TraitFollower"]

log = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
"""The thread ends after this long without work (a process that stops sending events keeps none)."""

LINGER_SECONDS = 2.0
"""A refresh holds the identity lock, so a refresh after every batch would hold up the next
batch's events (at concurrency 32 a refresh every 0.5 s still took a third of the lock's time);
due profiles wait this long for others to join them instead: at most one refresh every two
seconds, its fixed cost shared by every profile written meanwhile."""

Refresher = Callable[[Graph, list[str]], int]
"""Refreshes these profiles (and at most one chunk of others that are due); returns how many."""


def _refresh(graph: Graph, pids: list[str]) -> int:
    return refresh_pending(graph, first=pids, max_chunks=1).profiles


@dataclass
class FollowStats:
    runs: int = 0
    profiles: int = 0
    failures: int = 0


@dataclass
class TraitFollower:
    refresh: Refresher = _refresh
    linger: float = LINGER_SECONDS
    """How long due profiles wait for more to join them (unless a chunk is full)."""
    stats: FollowStats = field(default_factory=FollowStats)

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._due: set[str] = set()
        self._graph: Graph | None = None
        self._busy = False
        self._thread: threading.Thread | None = None

    def add(self, graph: Graph, pids: Iterable[str]) -> None:
        """Refresh these profiles soon (returns at once)."""
        with self._cond:
            self._due.update(pids)
            self._graph = graph
            if not self._due:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="c360-trait-follower", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until every profile handed in so far is refreshed (tests, shutdown). False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._due and not self._busy, timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: bool(self._due), IDLE_SECONDS):
                    self._thread = None  # under the condition: `add` starts a new one
                    return
                self._cond.wait_for(lambda: len(self._due) >= CHUNK, self.linger)
                # Sorted so that a backlog over one chunk is worked off in a stable order.
                pids = sorted(self._due)[:CHUNK]
                self._due.difference_update(pids)
                graph, self._busy = self._graph, True
            try:
                assert graph is not None
                done = self.refresh(graph, pids)
                self.stats.runs += 1
                self.stats.profiles += done
            except Exception:  # noqa: BLE001 - logged; the traits_pending marks keep the work
                self.stats.failures += 1
                log.exception("trait refresh after micro-batches failed; the profiles stay due")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
