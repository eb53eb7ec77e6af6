"""The change feed's hook for segment membership and lifecycle stages (issue 14 computes them).

Whoever materializes membership or traits calls `membership` / `lifecycle` with what changed and
runs the returned statements in the SAME transaction as its own writes, so the events commit with
the change or not at all:

    graph.write_many(outbox.enclose(my_steps, segments.membership(seg, entered, exited), now))

or, inside resolution's transaction (a `TxGraph`), the same call on it. Events carry segment ids
and stage names only, never the values that put a profile there.
"""

from typing import Any

from graph.changes import events as ev

__all__ = ["lifecycle", "membership"]


def membership(segment: str, entered: list[str], exited: list[str]) -> list[dict[str, Any]]:
    """Events for profiles that entered and left `segment` (ids in, ids out)."""
    rows = [ev.event(ev.SEGMENT_ENTERED, pid, data={"segment": segment}) for pid in sorted(set(entered))]
    rows += [ev.event(ev.SEGMENT_EXITED, pid, data={"segment": segment}) for pid in sorted(set(exited))]
    return rows


def lifecycle(changes: dict[str, tuple[str | None, str | None]]) -> list[dict[str, Any]]:
    """Events for profiles whose lifecycle stage moved: `{pid: (previous, stage)}`; unchanged ones
    are left out."""
    return [
        ev.event(ev.LIFECYCLE_CHANGED, pid, data={"stage": stage, "previous": previous})
        for pid, (previous, stage) in sorted(changes.items())
        if previous != stage
    ]
