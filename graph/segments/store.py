"""Saved segments: create / update / preview / list / delete, and materialized membership.

Membership is kept as `(:Profile)-[:IN_SEGMENT {since}]->(:Segment)`; every entry and exit is
also recorded as a `(:SegmentChange {segment, pid, kind, at})` node for the change feed.
`refresh(graph, pids)` re-evaluates only the given profiles against every segment (the trait
refresh after resolution calls it); `refresh_segment(graph, name)` re-evaluates the whole base.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph.changes import outbox
from graph.changes import segments as feed
from graph.connection import Graph, TxGraph
from graph.identity.lock import locked_waiting
from graph.segments.compile import Compiled, compile_count, compile_page
from graph.segments.definition import SegmentDefinition

__all__ = [
    "Preview",
    "SegmentError",
    "delete",
    "get",
    "list_all",
    "members",
    "parse",
    "preview",
    "refresh",
    "refresh_segment",
    "save",
]

PAGE = 5000
SAMPLE = 20


class SegmentError(ValueError):
    """An unknown segment or an invalid definition."""


@dataclass
class Preview:
    size: int
    sample: list[str]


def _run(graph: Graph, compiled: Compiled, **extra: Any) -> list[dict[str, Any]]:
    # The composed text comes from graph/segments/fragments.py only; values are parameters. In a
    # transaction (the refresh under the identity lock) it runs in that transaction.
    return graph.composed(compiled.text, compiled.params | extra, name="segment")


def parse(definition: SegmentDefinition | dict[str, Any] | str) -> SegmentDefinition:
    if isinstance(definition, SegmentDefinition):
        return definition
    try:
        data = json.loads(definition) if isinstance(definition, str) else definition
        return SegmentDefinition.model_validate(data)
    except ValueError as exc:
        raise SegmentError(f"invalid segment definition: {exc}") from exc


def _members(graph: Graph, definition: SegmentDefinition, pids: list[str] | None) -> list[str]:
    """Every member (or every member among `pids`), consent applied, in pid order."""
    # Imported here: privacy reads identity, whose resolution hook refreshes segments.
    from graph.privacy import consent

    compiled = compile_page(definition, pids=pids is not None)
    found: list[str] = []
    after: str | None = None
    while True:
        extra: dict[str, Any] = {"after": after, "limit": PAGE}
        if pids is not None:
            extra["pids"] = pids
        rows = [r["pid"] for r in _run(graph, compiled, **extra)]
        if definition.consent is not None and rows:
            allowed = consent.allowed(graph, rows, definition.consent.purpose, definition.consent.channel)
            found.extend(pid for pid in rows if pid in allowed)
        else:
            found.extend(rows)
        if len(rows) < PAGE:
            return found
        after = rows[-1]


def preview(graph: Graph, definition: SegmentDefinition | dict[str, Any] | str, sample: int = SAMPLE) -> Preview:
    """Size and the first members of a definition, evaluated now (nothing is stored)."""
    parsed = parse(definition)
    if parsed.consent is None:
        size = int(_run(graph, compile_count(parsed))[0]["size"])
        first = [r["pid"] for r in _run(graph, compile_page(parsed), after=None, limit=sample)]
        return Preview(size, first)
    everyone = _members(graph, parsed, None)
    return Preview(len(everyone), everyone[:sample])


def save(graph: Graph, name: str, definition: SegmentDefinition | dict[str, Any] | str, *, by: str) -> dict[str, Any]:
    """Create or replace a segment and materialize its membership."""
    if not name or len(name) > 64 or not name.replace("-", "_").replace("_", "a").isalnum():
        raise SegmentError("a segment name is 1-64 letters, digits, '-' or '_'")
    parsed = parse(definition)
    body = parsed.model_dump_json(by_alias=True, exclude_none=True)
    graph.write("segment_upsert", segment=name, definition=body, now=datetime.now(UTC), by=by)
    refresh_segment(graph, name)
    return get(graph, name)


def get(graph: Graph, name: str) -> dict[str, Any]:
    rows = graph.read("segment_list", segment=name)
    if not rows:
        raise SegmentError(f"no segment named {name[:64]!r}")
    return dict(rows[0]["segment"])


def list_all(graph: Graph) -> list[dict[str, Any]]:
    return [dict(r["segment"]) for r in graph.read("segment_list", segment=None)]


def delete(graph: Graph, name: str) -> int:
    def work(tx: TxGraph) -> list[dict[str, Any]]:  # members' pids are read: no merge meanwhile
        now = datetime.now(UTC)
        rows = tx.write("segment_delete", segment=name, now=now)
        if rows and rows[0]["pids"]:  # the members' exits reach the change feed with the delete
            tx.write_many(outbox.enclose([], feed.membership(name, [], rows[0]["pids"]), now))
        return rows

    rows = locked_waiting(graph, work, name="segment_delete")
    if not rows:
        raise SegmentError(f"no segment named {name[:64]!r}")
    return int(rows[0]["exited"])


def members(graph: Graph, name: str, first: int, after: str | None) -> list[str]:
    return [r["pid"] for r in graph.read("segment_members_page", segment=name, after=after, limit=first)]


def _apply(graph: Graph, name: str, want: set[str], have: set[str]) -> tuple[int, int]:
    now = datetime.now(UTC)
    entering, leaving = sorted(want - have), sorted(have - want)
    steps: list[tuple[str, dict[str, Any]]] = []
    if entering:
        steps.append(("segment_enter", {"segment": name, "pids": entering, "now": now}))
    if leaving:
        steps.append(("segment_exit", {"segment": name, "pids": leaving, "now": now}))
    steps.append(("segment_touch", {"segment": name, "now": now}))
    # Entries and exits go to the change feed in the same transaction as the membership itself.
    graph.write_many(outbox.enclose(steps, feed.membership(name, entering, leaving), now))
    return len(entering), len(leaving)


def refresh_segment(graph: Graph, name: str) -> tuple[int, int]:
    """Re-evaluate one segment over the whole base: (entries, exits). One transaction under the
    identity lock, so no merge retires a profile between the evaluation and the write."""

    def work(tx: TxGraph) -> tuple[int, int]:
        definition = parse(get(tx, name)["definition"])
        want = set(_members(tx, definition, None))
        have = {r["pid"] for r in tx.read("segment_members_among", segment=name, pids=None)}
        return _apply(tx, name, want, have)

    return locked_waiting(graph, work, name="segment_refresh")


def refresh(graph: Graph, pids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Re-evaluate only these profiles against every segment: {segment: (entries, exits)}.

    Run it where no resolution can change these profiles meanwhile: inside a transaction that
    holds the identity lock (the trait refresh does), or they may vanish between read and write."""
    scope = sorted(pid for pid in set(pids) if pid is not None)
    changes: dict[str, tuple[int, int]] = {}
    if not scope:
        return changes
    for segment in list_all(graph):
        definition = parse(segment["definition"])
        want = set(_members(graph, definition, scope))
        have = {r["pid"] for r in graph.read("segment_members_among", segment=segment["name"], pids=scope)}
        if want != have:
            changes[segment["name"]] = _apply(graph, segment["name"], want, have)
    return changes
