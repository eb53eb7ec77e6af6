"""A first build's profile writes: no record has a profile yet, so nothing old can be in the way.

Every cluster of a first build becomes a new profile under a new id that was checked free, so
there are no merges, splits, aliases, steward overrides or restrictions to carry over, no old
`HAS_RECORD` to move and no golden value to diff. The general writer (profiles.build + write)
reads and writes all of that anyway; here each batch is one read of what survivorship needs and
one transaction that creates the profiles with their `HAS_RECORD` links and stages their
`profile.created` events. The graph it leaves is the general writer's (a test compares them).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph.behind import WriteBehind
from graph.changes import outbox
from graph.connection import Graph
from graph.identity import evidence, feed, profiles
from graph.identity.rules import MatchRules
from graph.identity.stable_ids import Assignment

__all__ = ["BATCH", "write_new"]

BATCH = 2_000
"""Clusters read and written per transaction."""


def _record(row: dict[str, Any]) -> evidence.Record:
    # What evidence._record makes of a full row, with the fields profiles never read left empty.
    return evidence.Record(
        row["uid"],
        row["source"],
        row["at"] or "",
        True,
        None,
        {k: v for k, v in row["attrs"].items() if v is not None} | {k: v for k, v in row["custom"]},
        [(key, kind, 0, False) for key, kind in row["ids"]],
        [],
        [],
        [],
    )


def write_new(
    graph: Graph,
    rules: MatchRules,
    uids: Sequence[str],
    clusters: list[list[int]],
    ids: list[str],
    now: datetime,
) -> tuple[int, int]:
    """Create one profile per cluster (`ids[i]` for `clusters[i]`, members numbers into `uids`).
    Returns (profiles written, profiles with conflicts)."""
    kinds = evidence.fact_kinds(rules)
    conflicts = 0
    # Batch k commits while batch k+1 is read and its survivorship computed.
    with WriteBehind() as behind:
        for start in range(0, len(clusters), BATCH):
            batch = range(start, min(start + BATCH, len(clusters)))
            wanted = sorted(uids[i] for at in batch for i in clusters[at])
            read = graph.read("rebuild_new_facts", uids=wanted, kinds=kinds)[0]["records"]
            found = {record.uid: record for record in map(_record, read)}
            rows = []
            for at in batch:
                records = sorted((found[uids[i]] for i in clusters[at]), key=lambda r: r.uid)
                props, conflicted = profiles.profile_props(rules, records, {})
                conflicts += bool(conflicted)
                rows.append({"pid": ids[at], "props": props, "uids": [r.uid for r in records]})
            changes = feed.events(Assignment([]), [ids[at] for at in batch])
            steps = outbox.enclose([("rebuild_new_profiles", {"rows": rows, "now": now})], changes, now)
            behind.submit(graph.write_many, steps)
    return len(clusters), conflicts
