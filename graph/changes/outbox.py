"""The outbox: events staged by the statements of a write transaction and numbered by its last one.

A writer adds `steps(events)` (or `golden_step` before a profile upsert) to the statements it
runs in one `write_many`, and `number_step` last. Numbering increments one counter node: its
write lock orders committing transactions, so positions are gap-free and in commit order (see
queries/changes_number.cypher), and a reader can follow the feed by position alone.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from graph.connection import Graph

__all__ = [
    "Step",
    "enclose",
    "golden_step",
    "head",
    "number_step",
    "page",
    "prune",
    "restage",
    "stage_step",
    "token",
]

Step = tuple[str, dict[str, Any]]

# Staged events are ordered within a transaction by seq; each step gets its own range.
_SEQ_STRIDE = 1_000_000


def token() -> str:
    """Marks the events one transaction stages, for its numbering step."""
    return uuid.uuid4().hex


def stage_step(events: list[dict[str, Any]], txn: str, now: datetime, part: int = 0) -> Step:
    rows = [e | {"seq": part * _SEQ_STRIDE + i} for i, e in enumerate(events)]
    return "changes_stage", {"events": rows, "txn": txn, "now": now}


def golden_step(rows: list[dict[str, Any]], fields: list[str], txn: str, now: datetime, part: int = 0) -> Step:
    """Before an upsert of `rows` ({pid, props}): stage which golden `fields` it changes."""
    return "changes_stage_golden", {"rows": rows, "fields": fields, "txn": txn, "now": now, "seq": part * _SEQ_STRIDE}


def number_step(txn: str) -> Step:
    return "changes_number", {"txn": txn}


def restage(events: list[dict[str, Any]], now: datetime) -> list[Step]:
    """One transaction that stages those of `events` the outbox lacks and numbers them: the
    repair of a crashed multi-transaction write whose events were journaled (ids kept, so an
    event that did land is not staged twice)."""
    txn = token()
    rows = [e | {"seq": i} for i, e in enumerate(events)]
    return [("changes_restage", {"events": rows, "txn": txn, "now": now}), number_step(txn)]


def enclose(steps: list[Step], events: list[dict[str, Any]], now: datetime) -> list[Step]:
    """One transaction's statements with its events staged and numbered at the end (the counter's
    lock is taken last, so it is held only until the commit)."""
    if not events:
        return steps
    txn = token()
    return [*steps, stage_step(events, txn, now), number_step(txn)]


def page(
    graph: Graph,
    after: int,
    first: int,
    *,
    types: list[str] | None = None,
    pid: str | None = None,
    hide_restricted: bool = False,
) -> list[dict[str, Any]]:
    return graph.read("changes_after", after=after, first=first, types=types, pid=pid, hide_restricted=hide_restricted)


def head(graph: Graph) -> int:
    position: int = graph.read("changes_head")[0]["position"]
    return position


def prune(graph: Graph, days: int, *, now: datetime | None = None) -> int:
    """Delete events older than `days`; returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    count: int = graph.read("changes_count_before", cutoff=cutoff)[0]["events"]
    if count:
        graph.run_auto("changes_prune", cutoff=cutoff)
    return count
