"""Concurrent webhook deliveries that keep the order per profile.

A page of events is split into groups that share no profile id (an event about several profiles,
a merge, joins their groups), each group in position order. Groups go out concurrently, events
within a group one after the other, so a burst of changes to many profiles is not held to one
round trip per event, and no profile ever sees its events out of order.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["Failure", "deliver", "groups"]

Event = dict[str, Any]
Failure = tuple[Event, str]
"""The first event of a group that failed, and why."""


def groups(events: list[Event]) -> list[list[Event]]:
    """`events` (in position order) split into groups with no profile id in common."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for event in events:
        ids = event["profile_ids"] or [event["profile_id"]]
        root = find(ids[0])
        for other in ids[1:]:
            if (top := find(other)) != root:
                parent[top] = root
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(find((event["profile_ids"] or [event["profile_id"]])[0]), []).append(event)
    return list(grouped.values())


def deliver(events: list[Event], send: Callable[[Event], str | None], pool: ThreadPoolExecutor) -> Failure | None:
    """Send each group's events in order (a group stops at its first failure), the groups
    concurrently. Returns the failure with the lowest position: every event before it was
    delivered, by whichever group it belonged to."""

    def lane(group: list[Event]) -> Failure | None:
        for event in group:
            error = send(event)
            if error is not None:
                return event, error
        return None

    found = groups(events)
    if len(found) == 1:
        failures = [lane(found[0])]
    else:
        failures = list(pool.map(lane, found))
    first = [failure for failure in failures if failure is not None]
    return min(first, key=lambda failure: failure[0]["position"]) if first else None
