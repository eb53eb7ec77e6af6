"""Write mapped rows to Neo4j in batches: one transaction per batch, one UNWIND statement per kind."""

from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from graph.changes import loads
from graph.connection import Graph, Rows, Transaction
from graph.model import ENTITY_LABELS, RELATIONSHIPS
from loaders.rows import EntityRow, MappedRow

__all__ = ["BatchWriter"]

_ENTITY_QUERIES = {
    "organization": "merge_organizations",
    "device": "merge_devices",
    "account": "merge_accounts",
    "touchpoint": "merge_touchpoints",
    "consent": "privacy_merge_consents",
}


class BatchWriter:
    """Accumulates rows and writes them as one transaction per `batch_size` rows.

    Writing runs on a background thread while the caller maps the next batch: parsing and
    validation are Python work, writing is mostly waiting on Neo4j, so the two overlap. At
    most one batch is in flight, which bounds memory and keeps batches in order.
    """

    def __init__(
        self,
        graph: Graph,
        batch_size: int,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        touchpoint_events: tuple[str, ...] = (),
    ) -> None:
        self._graph = graph
        self._touchpoint_events = touchpoint_events
        self._batch_size = batch_size
        self._clock = clock
        self._pending: list[MappedRow] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="c360-writer")
        self._in_flight: Future[None] | None = None
        self.entities: Counter[str] = Counter()
        self.relationships: Counter[str] = Counter()
        self.rows = 0

    def add(self, row: MappedRow) -> None:
        self._pending.append(row)
        if len(self._pending) >= self._batch_size:
            self._submit()

    def submit(self) -> None:
        """Start writing what was added so far; waits for the batch in flight, not for this one."""
        if self._pending:
            self._submit()

    def flush(self) -> None:
        """Write everything added so far and wait for it; raises what a write raised."""
        self._submit()
        self._wait()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._executor.shutdown(wait=True)

    def _submit(self) -> None:
        self._wait()
        if self._pending:
            batch, self._pending = self._pending, []
            self._in_flight = self._executor.submit(self._write, batch)

    def _wait(self) -> None:
        if self._in_flight is not None:
            future, self._in_flight = self._in_flight, None
            future.result()

    def _write(self, batch: list[MappedRow]) -> None:
        now = self._clock()
        steps = self._steps(batch, now)
        results = self._run(steps, now)
        for (name, _), result in zip(steps, results, strict=True):
            written = result[0]["written"] if result else 0
            if name in _REL_LABEL:
                self.relationships[_REL_LABEL[name]] += written
            else:
                self.entities[_ENTITY_LABEL[name]] += written
        self.rows += len(batch)

    def _run(self, steps: list[tuple[str, dict[str, Any]]], now: datetime) -> list[Rows]:
        """One transaction; with the change feed's probes when the batch links records to
        organizations, touchpoints or consents (graph/changes/loads.py: events in the same
        transaction as the change)."""
        if not loads.concerns(steps, self._touchpoint_events):
            return self._graph.write_many(steps)

        def work(tx: Transaction) -> list[Rows]:
            return loads.run(tx, steps, now, self._touchpoint_events)

        return self._graph.transaction([*(name for name, _ in steps), *loads.PROBES], work)

    def _steps(self, rows: list[MappedRow], now: datetime) -> list[tuple[str, dict[str, Any]]]:
        people: list[dict[str, Any]] = []
        observed: list[dict[str, Any]] = []
        others: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rels: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
        latest: dict[str, EntityRow] = {}
        for row in rows:
            for entity in row.entities:
                if entity.reference:
                    continue
                if entity.accumulate:
                    observed.append(entity.params())
                else:
                    _keep_latest(latest, entity)
            for rel in row.relationships:
                _add_relationship(rels[rel.type], rel.params())
        for entity in latest.values():
            (people if entity.kind == "person" else others[entity.kind]).append(entity.params())
        # Nodes before relationships, so a relationship finds its loaded endpoints, not bare ones.
        steps: list[tuple[str, dict[str, Any]]] = []
        if people:
            steps.append(("merge_customers", {"rows": people, "now": now}))
        if observed:
            steps.append(("merge_customer_observations", {"rows": observed, "now": now}))
        for kind in sorted(others):
            steps.append((_ENTITY_QUERIES[kind], {"rows": others[kind], "now": now}))
        for name in sorted(rels):
            steps.append((RELATIONSHIPS[name].query, {"rows": list(rels[name].values()), "now": now}))
        return steps


def _keep_latest(latest: dict[str, EntityRow], entity: EntityRow) -> None:
    """One row per record and batch, the one a sequential load would leave in place: the newest
    by its version time, else the last one read."""
    previous = latest.get(entity.uid)
    if (
        previous is None
        or entity.updated_at is None
        or previous.updated_at is None
        or entity.updated_at >= previous.updated_at
    ):
        latest[entity.uid] = entity


def _add_relationship(seen: dict[tuple[str, str], dict[str, Any]], params: dict[str, Any]) -> None:
    """One row per relationship and batch: event files repeat the same link on every event.

    The merged row keeps the last properties (as sequential MERGEs would) and the span of
    times (ISO strings of one format, so they order as text).
    """
    key = (params["start"], params["end"])
    stamp = params["updated_at"]
    previous = seen.get(key)
    if previous is None:
        seen[key] = params | {"first_seen": stamp}
        return
    stamps = [s for s in (previous["first_seen"], stamp) if s is not None]
    latest = [s for s in (previous["updated_at"], stamp) if s is not None]
    seen[key] = params | {"first_seen": min(stamps, default=None), "updated_at": max(latest, default=None)}


_ENTITY_LABEL = {query: ENTITY_LABELS[kind] for kind, query in _ENTITY_QUERIES.items()} | {
    "merge_customers": "Customer",
    "merge_customer_observations": "Customer",
}
_REL_LABEL = {rel.query: rel.name for rel in RELATIONSHIPS.values()}
