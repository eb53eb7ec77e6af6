"""Group commit for real-time writes: many waiters, one micro-batch at a time per process.

A writer hands its record to `MicroBatcher.wait(..., write=..., payload=...)` (or commits it
itself and passes its `uids`). The first waiter in a process becomes the leader: it writes the
records of every waiter at that moment in ONE transaction (they commit on their own, `pending`,
before resolution starts), then runs one micro-batch (resolve_batch: one transaction under the
identity lock) for all of them plus whatever else is pending, reads their profiles in that same
transaction, wakes the waiters it covered and hands leadership on. The trait refresh of the
profiles it wrote is not on the response path: a background thread does it, for every batch
that finished meanwhile at once (graph/identity/follow.py). So N concurrent events cost
two transactions, not 2N + 1. Across processes
the leaders queue on the lock in Neo4j; a record another process's batch already resolved is
simply no longer pending when this one claims. So "resolved before the response" holds, and
N concurrent events cost far fewer than N resolutions.

Back-pressure: a waiter gives up with `Overloaded` (the API answers 503 with Retry-After) when
its batch has not run within `wait_seconds`, and new writes are refused up front (429) while
more than `max_pending` records wait (`admit`).
"""

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.connection import Graph
from graph.identity.follow import TraitFollower
from graph.identity.lock import LeaseBusy
from graph.identity.resolve import ResolveReport, resolve, resolve_batch
from graph.identity.rules import MatchRules

__all__ = ["BatchStats", "Landed", "MicroBatcher", "Overloaded", "Writer"]

Writer = Callable[[Graph, list[Any]], list[list[str] | None]]
"""Writes the payloads of several waiters in one transaction (records `pending`); returns, per
payload, the uids of the records to resolve, or None when it refused it (an erased person)."""


class Overloaded(RuntimeError):
    """Resolution is behind; retry after `retry_after` seconds. `status` is the HTTP answer."""

    def __init__(self, message: str, *, retry_after: int, status: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


@dataclass
class BatchStats:
    """What /metrics shows of this process's micro-batches."""

    batches: int = 0
    records: int = 0
    last_size: int = 0
    last_seconds: float = 0.0
    seconds_total: float = 0.0
    waiting: int = 0
    rejected: int = 0
    timed_out: int = 0


@dataclass(frozen=True)
class Landed:
    """What `wait` returns: the records written and resolved (None: the writer refused the
    payload, nothing was written) and the profile of each, read under the lock after the batch."""

    uids: list[str] | None
    profiles: dict[str, str | None]


@dataclass(eq=False)  # tickets are told apart by identity
class _Ticket:
    uids: list[str]
    writer: Writer | None = None
    payload: Any = None
    written: bool = False
    """Its records are committed (a ticket without a writer comes with them committed)."""
    done: bool = False
    refused: bool = False
    error: BaseException | None = None
    profiles: dict[str, str | None] = field(default_factory=dict)


@dataclass
class MicroBatcher:
    wait_seconds: float = 10.0
    max_pending: int = 20000
    stats: BatchStats = field(default_factory=BatchStats)
    follower: TraitFollower = field(default_factory=TraitFollower)
    """Refreshes the traits of the profiles batches wrote, after their waiters are answered."""

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: list[_Ticket] = []
        self._leading = False
        self._pending_seen = 0  # pending records in the graph after the last batch

    def admit(self) -> None:
        """Refuse a new write while the backlog is deeper than `max_pending` (429)."""
        with self._cond:
            depth = max(self._pending_seen, len(self._queue))
            if depth > self.max_pending:
                self.stats.rejected += 1
                raise Overloaded(
                    f"{depth} records are waiting for resolution; try again later", retry_after=1, status=429
                )

    def wait(
        self,
        graph: Graph,
        rules: MatchRules,
        uids: Sequence[str] = (),
        *,
        by: str = "event",
        write: Writer | None = None,
        payload: Any = None,
    ) -> Landed:
        """Return once a micro-batch that started after this call has resolved `uids` (and, with
        `write`, the records `write` wrote of `payload`, in one transaction with other waiters')."""
        ticket = _Ticket(list(uids), write, payload, written=write is None)
        deadline = time.monotonic() + self.wait_seconds
        with self._cond:
            self._queue.append(ticket)
            self.stats.waiting = len(self._queue)
            while not ticket.done and self._leading:
                left = deadline - time.monotonic()
                # A write in flight is waited for: its waiter must know whether it is stored.
                if left <= 0 and (ticket.written or self._queued(ticket)):
                    self._give_up(ticket)
                self._cond.wait(max(left, 0.05))
            if ticket.done:
                return self._result(ticket)
            self._leading = True
        try:
            self._lead(graph, rules, ticket, deadline, by)
        finally:
            with self._cond:
                self._leading = False
                self._cond.notify_all()
        return self._result(ticket)

    def _queued(self, ticket: _Ticket) -> bool:
        return any(t is ticket for t in self._queue)

    def _give_up(self, ticket: _Ticket) -> None:
        self.stats.timed_out += 1
        if self._queued(ticket):
            self._queue = [t for t in self._queue if t is not ticket]
            self.stats.waiting = len(self._queue)
            if not ticket.written:
                raise Overloaded(
                    f"not written within {self.wait_seconds:g}s: resolution is behind; send it again later",
                    retry_after=max(1, round(self.wait_seconds)),
                    status=429,
                )
        raise Overloaded(
            f"not resolved within {self.wait_seconds:g}s; the record is stored and will be resolved",
            retry_after=max(1, round(self.wait_seconds)),
            status=503,
        )

    @staticmethod
    def _result(ticket: _Ticket) -> Landed:
        if ticket.error is not None:
            raise ticket.error
        return Landed(None if ticket.refused else ticket.uids, ticket.profiles)

    def _lead(self, graph: Graph, rules: MatchRules, ticket: _Ticket, deadline: float, by: str) -> None:
        """Run batches until this leader's own ticket is done (then hand over)."""
        while not ticket.done:
            with self._cond:
                batch, self._queue = self._queue, []
                self.stats.waiting = 0
            started = time.monotonic()
            _write(graph, batch)
            with self._cond:
                for t in batch:
                    t.written = t.written or (not t.done)
                self._cond.notify_all()
            live = [t for t in batch if not t.done]
            uids = sorted({uid for t in live for uid in t.uids})
            error: BaseException | None = None
            try:
                report = self._batch(graph, rules, uids, deadline, by)
            except Overloaded as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - every waiter of the batch hears of it
                error = exc
            seconds = time.monotonic() - started
            with self._cond:
                for t in live:
                    t.done, t.error = True, error
                    if error is None:
                        t.profiles = {uid: report.profile_of.get(uid) for uid in t.uids}
                if error is None:
                    self.stats.batches += 1
                    self.stats.records += report.claimed
                    self.stats.last_size = report.claimed
                    self.stats.last_seconds = seconds
                    self.stats.seconds_total += seconds
                self._cond.notify_all()
            if error is None:
                # Off the response path: the waiters are answered; the marks keep the work.
                self.follower.add(graph, report.affected)

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until the trait refresh has caught up with every batch so far."""
        return self.follower.settle(timeout)

    def _batch(self, graph: Graph, rules: MatchRules, uids: list[str], deadline: float, by: str) -> ResolveReport:
        while True:
            try:
                report = resolve_batch(graph, rules, uids=uids, by=by, answer=True)
                break
            except LeaseBusy as busy:
                if busy.crashed:
                    # The lease holder died: repair under the lease (resolve does), then go on.
                    resolve(graph, rules, by=by, wait=max(0.0, deadline - time.monotonic()))
                    continue
                if time.monotonic() > deadline:
                    raise Overloaded(
                        "a large resolution is running; the record is stored and will be resolved",
                        retry_after=2,
                        status=503,
                    ) from busy
                time.sleep(0.05)
        with self._cond:
            self._pending_seen = max(0, self._pending_seen - report.claimed)
        return report

    def observe_pending(self, pending: int) -> None:
        """The graph-wide backlog, as last counted (by /metrics or a batch)."""
        with self._cond:
            self._pending_seen = pending


def _write(graph: Graph, batch: list[_Ticket]) -> None:
    """Write the payloads of the batch's tickets, one transaction per writer (one in practice).
    When the group fails, each payload is written on its own, so one bad payload fails alone."""
    groups: dict[Writer, list[_Ticket]] = defaultdict(list)
    for ticket in batch:
        if ticket.writer is not None:
            groups[ticket.writer].append(ticket)
    for writer, tickets in groups.items():
        try:
            outcomes = writer(graph, [t.payload for t in tickets])
        except Exception:  # noqa: BLE001 - retried one by one below, each failure to its own waiter
            outcomes = [_alone(graph, writer, t) for t in tickets]
        for ticket, uids in zip(tickets, outcomes, strict=True):
            if ticket.done:
                continue
            if uids is None:
                ticket.done = ticket.refused = True
            else:
                ticket.uids = uids


def _alone(graph: Graph, writer: Writer, ticket: _Ticket) -> list[str] | None:
    try:
        return writer(graph, [ticket.payload])[0]
    except Exception as exc:  # noqa: BLE001 - this waiter hears of it
        ticket.done, ticket.error = True, exc
        return None
