"""What a resolution tells the change feed: profiles created, merged and split, golden values
changed. Kept apart from the profile writes so the write path can change around it: `steps`
wraps the statements of each write transaction with the outbox's."""

from datetime import datetime
from typing import Any

from graph.changes import events as ev
from graph.changes import outbox
from graph.identity import survivorship
from graph.identity.stable_ids import Assignment

__all__ = ["GOLDEN_FIELDS", "events", "steps"]

GOLDEN_FIELDS = sorted({*survivorship.ATTRIBUTE_FIELDS, "email", "phone", "display_name"})
"""Profile properties whose change is a `profile.golden_changed` event (by name only)."""

Step = outbox.Step


def events(assignment: Assignment, created: list[str]) -> list[dict[str, Any]]:
    """`created`: ids of profiles that did not exist and did not split off another."""
    rows = [ev.event(ev.PROFILE_CREATED, pid) for pid in sorted(created)]
    for survivor, absorbed in sorted(assignment.merged.items()):
        data = {"surviving": survivor, "retired": sorted(absorbed)}
        rows.append(ev.event(ev.PROFILE_MERGED, survivor, others=sorted(absorbed), data=data))
    for new, origin in sorted(assignment.split_from.items()):
        rows.append(ev.event(ev.PROFILE_SPLIT, new, others=[origin], data={"origin": origin, "new": new}))
    return rows


def steps(
    transactions: list[list[Step]], upsert: str, changes: list[dict[str, Any]], now: datetime
) -> list[list[Step]]:
    """Each transaction gets a golden-value diff before its `upsert` statements and its events
    numbered last; the resolution's own events go with the last transaction."""
    wrapped: list[list[Step]] = []
    for index, transaction in enumerate(transactions):
        txn = outbox.token()
        body: list[Step] = []
        for part, (name, params) in enumerate(transaction):
            if name == upsert:
                body.append(outbox.golden_step(params["rows"], GOLDEN_FIELDS, txn, now, part))
            body.append((name, params))
        if index == len(transactions) - 1 and changes:
            body.append(outbox.stage_step(changes, txn, now, len(transaction)))
        body.append(outbox.number_step(txn))
        wrapped.append(body)
    return wrapped
