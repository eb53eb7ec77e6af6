"""Restriction of processing: a flagged profile is kept for stewards but hidden from the `app`
role and from contact selection (`consent.allowed` leaves it out).

The flag is `Profile.restricted = true`, removed (not set false) when lifted, so readers test
`restricted IS NULL`. It sits on the profile: a profile merged into another passes no flag on.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph
from graph.identity.steward import profile_id
from graph.privacy import PrivacyError, audit

__all__ = ["restrict", "restricted_among", "unrestrict", "visible"]


def _live(graph: Graph, pid: str) -> str:
    live = profile_id(graph, pid)
    if live is None:
        raise PrivacyError(f"no such profile: {pid}")
    return live


def restrict(graph: Graph, pid: str, *, by: str, reason: str | None = None) -> str:
    """Flag a profile (or the profile an alias points to); returns the live profile id."""
    live = _live(graph, pid)
    now = datetime.now(UTC)
    step = ("privacy_restrict_set", {"pid": live, "by": by, "now": now})
    graph.write_many(outbox.enclose([step], [ev.event(ev.RESTRICTION_SET, live)], now))
    audit.record(graph, actor=by, action="restriction.set", target=live, reason=reason)
    return live


def unrestrict(graph: Graph, pid: str, *, by: str, reason: str | None = None) -> str:
    live = _live(graph, pid)
    step = ("privacy_restrict_clear", {"pid": live})
    graph.write_many(outbox.enclose([step], [ev.event(ev.RESTRICTION_LIFTED, live)], datetime.now(UTC)))
    audit.record(graph, actor=by, action="restriction.clear", target=live, reason=reason)
    return live


def restricted_among(graph: Graph, pids: Iterable[str]) -> set[str]:
    return set(graph.read("privacy_restricted_among", pids=sorted(set(pids)))[0]["pids"])


def visible(graph: Graph, pids: Iterable[str]) -> list[str]:
    """The given profile ids without the restricted ones, in the given order (for the app role)."""
    wanted = list(pids)
    hidden = restricted_among(graph, wanted)
    return [pid for pid in wanted if pid not in hidden]
