"""The single writer of identity, held inside Neo4j so it spans processes and machines.

Two ways to hold it, both on the one `(:ResolutionLock {name: 'identity'})` node:

- **In a transaction** (`locked`): the usual case, a micro-batch, a steward decision or an
  erasure. The transaction's first statement write-locks the node; concurrent resolutions in
  any process queue on Neo4j's own lock, and a crash rolls everything back with the lock.
- **A lease** (`Lease`): a resolution too big for one transaction (a full rebuild, a large
  load). The node records the owner and an expiry that a heartbeat thread keeps extending;
  every write transaction of the holder starts by renewing it (a fence: a holder that lost
  its lease cannot write). Transactions that find a live lease back off (`LeaseBusy`). The
  holder journals its intent (mode, profiles to retire); a lease that expires without being
  released was held by a crashed run, and the next holder repairs what it left (`repair`).
"""

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from graph.connection import Graph, Rows, Transaction, TxGraph

__all__ = [
    "LEASE_SECONDS",
    "Lease",
    "LeaseBusy",
    "LostLease",
    "locked",
    "locked_waiting",
    "on_live_profile",
    "write_locked",
]

T = TypeVar("T")
LEASE_SECONDS = 30.0


class LeaseBusy(RuntimeError):
    """A multi-transaction resolution holds the lease; try again later."""

    def __init__(self, crashed: bool) -> None:
        super().__init__("identity resolution lease is held" + (" by a crashed run" if crashed else ""))
        self.crashed = crashed


class LostLease(RuntimeError):
    """This process no longer holds the lease (it expired while the process was stalled)."""


def _now() -> datetime:
    return datetime.now(UTC)


def locked(graph: Graph, work: Callable[[TxGraph], T], *, name: str = "identity") -> T:
    """Run `work` in one transaction that holds the identity lock. Raises `LeaseBusy` when a
    multi-transaction resolution holds the lease (or crashed holding it: `crashed`)."""

    def run(tx: TxGraph) -> T:
        row = tx.write("identity_lock", now=_now())[0]
        if row["owner"] is not None:
            raise LeaseBusy(crashed=bool(row["expired"]))
        return work(tx)

    return graph.atomic(run, name=name)


def _while_leased(attempt: Callable[[], T], wait: float) -> T:
    """`attempt()`, retried while a live lease holds identity, for up to `wait` seconds.

    A lease holder (a full rebuild) runs for minutes across many transactions; Neo4j's own lock
    wait does not cover it, so a short sleep-and-retry does, and LeaseBusy surfaces only past `wait`."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return attempt()
        except LeaseBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def locked_waiting(graph: Graph, work: Callable[[TxGraph], T], *, name: str, wait: float = 600.0) -> T:
    """`locked`, retried while a lease holds identity: for work that must see and write profiles
    no resolution is changing (the trait and segment refresh), and must not interleave with a
    multi-transaction rebuild either."""
    return _while_leased(lambda: locked(graph, work, name=name), wait)


def write_locked(graph: Graph, names: list[str], work: Callable[[Transaction], T], *, wait: float = 600.0) -> T:
    """`Graph.transaction(names, work)` retried while a live lease holds identity: for writes that
    must not interleave with a resolution (an erasure). `work` takes the lock itself (its first
    statement is `identity_lock`) and raises LeaseBusy when a live lease is held."""
    return _while_leased(lambda: graph.transaction(names, work), wait)


def on_live_profile(
    graph: Graph, pid: str, work: Callable[[TxGraph, str], T], *, wait: float = 600.0
) -> tuple[str, T] | None:
    """Run `work(tx, live)` under the identity lock, with `pid` (a profile id or a merged-away
    alias) resolved to its live profile inside the same transaction. None if `pid` is unknown.

    Why the lock: looked up outside it, a micro-batch could retire the profile between the
    lookup and the write, and the write would find no profile and silently do nothing (a lost
    consent, restriction or override). Waits while a lease holder rebuilds, like resolution."""

    def run(tx: TxGraph) -> tuple[str, T] | None:
        live: str | None = tx.read("resolve_profile_id", pid=pid)[0]["pid"]
        return None if live is None else (live, work(tx, live))

    return locked_waiting(graph, run, name="on_live_profile", wait=wait)


class _Fenced(Graph):
    """Writes of a lease holder: each write transaction first renews the lease, or rolls back."""

    def __init__(self, parent: Graph, lease: "Lease") -> None:
        super().__init__(parent.driver, parent.database, parent.timeout, parent.bookmarks)
        self._lease = lease

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        def run(tx: TxGraph) -> list[Rows]:
            self._lease.fence(tx)
            return tx.write_many(steps)

        return self.atomic(run, name="fenced")

    def close(self) -> None:
        """The driver belongs to the parent."""


class Lease:
    """Hold the identity lease for a multi-transaction run (`with Lease.take(graph, ...) as lease`)."""

    def __init__(self, graph: Graph, owner: str, crashed: bool, previous: dict[str, Any], ttl: float) -> None:
        self.owner = owner
        self.crashed = crashed
        self.previous = previous
        self._graph = graph
        self._ttl = ttl
        self._stop = threading.Event()
        self.lost = False
        self.graph: Graph = _Fenced(graph, self)
        self._beat = threading.Thread(target=self._heartbeat, name="c360-lease", daemon=True)
        self._beat.start()

    @classmethod
    def take(
        cls, graph: Graph, mode: str, *, wait: float = 600.0, ttl: float | None = None, poll: float = 0.2
    ) -> "Lease":
        """Wait (up to `wait` seconds) for the lease to be free or abandoned, then take it."""
        ttl = ttl or LEASE_SECONDS
        owner = f"{mode}:{uuid.uuid4()}"
        deadline = time.monotonic() + wait
        while True:
            now = _now()
            rows = graph.write(
                "identity_lease_take",
                owner=owner,
                now=now,
                expires=now + timedelta(seconds=ttl),
                journal=json.dumps({"mode": mode}),
            )
            if rows:
                previous = json.loads(rows[0]["previous"] or "{}") if rows[0]["crashed"] else {}
                return cls(graph, owner, bool(rows[0]["crashed"]), previous, ttl)
            if time.monotonic() > deadline:
                raise LeaseBusy(crashed=False)
            time.sleep(poll)

    def _expires(self) -> datetime:
        return _now() + timedelta(seconds=self._ttl)

    def fence(self, tx: TxGraph) -> None:
        if tx.write("identity_lease_renew", owner=self.owner, expires=self._expires())[0]["held"] != 1:
            self.lost = True
            raise LostLease(f"lease {self.owner} was lost; this run's writes are refused")

    def _heartbeat(self) -> None:
        while not self._stop.wait(self._ttl / 6):
            try:
                held = self._graph.write("identity_lease_renew", owner=self.owner, expires=self._expires())
            except Exception:  # noqa: BLE001 - a missed beat is retried; the fence guards writes
                continue
            if held[0]["held"] != 1:
                self.lost = True
                return

    def journal(self, **intent: Any) -> None:
        self.graph.write("identity_lease_journal", owner=self.owner, journal=json.dumps(intent, default=str))

    def release(self, *, failed: bool = False) -> None:
        self._stop.set()
        self._beat.join()
        if failed:
            # Expire it now instead of clearing it: the next holder sees an abandoned lease and
            # repairs from the journal, without waiting for the expiry.
            self._graph.write("identity_lease_renew", owner=self.owner, expires=_now() - timedelta(seconds=1))
        else:
            self._graph.write("identity_lease_release", owner=self.owner)

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.release(failed=kind is not None)
