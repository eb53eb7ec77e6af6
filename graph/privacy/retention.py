"""Retention: touchpoints older than their channel's configured age are purged.

`C360_RETENTION_DAYS` maps channels to days (`{"web": 395}`); channels not listed are kept.
Deletes run in bounded transactions; the run is audited with the counts per channel.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from graph.connection import Graph
from graph.privacy import audit

__all__ = ["apply"]

BATCH = 5000


def apply(
    graph: Graph,
    days_by_channel: Mapping[str, int],
    now: datetime | None = None,
    dry_run: bool = False,
    *,
    actor: str = "retention",
) -> dict[str, int]:
    """Touchpoints removed per channel (with `dry_run`, those that would be)."""
    now = now or datetime.now(UTC)
    rules = [
        {"channel": channel, "cutoff": now - timedelta(days=days)} for channel, days in sorted(days_by_channel.items())
    ]
    if not rules:
        return {}
    if dry_run:
        return {row["channel"]: row["touchpoints"] for row in graph.read("privacy_retention_count", rules=rules)}
    removed = dict.fromkeys(days_by_channel, 0)
    while True:
        rows = graph.write("privacy_retention_delete", rules=rules, limit=BATCH)
        for row in rows:
            removed[row["channel"]] += row["deleted"]
        if not any(row["deleted"] for row in rows):
            break
    audit.record(
        graph,
        actor=actor,
        action="retention.apply",
        details={
            "removed": removed,
            "days": dict(days_by_channel),
            "before": {r["channel"]: r["cutoff"] for r in rules},
        },
        at=now,
    )
    return dict(sorted(removed.items()))
