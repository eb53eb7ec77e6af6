"""Restriction of processing: a flagged profile is kept for stewards but hidden from the `app`
role and from contact selection (`consent.allowed` leaves it out).

The flag is `Profile.restricted = true`, removed (not set false) when lifted, so readers test
`restricted IS NULL`. It sits on the profile: a profile merged into another passes no flag on.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph, TxGraph
from graph.identity.lock import on_live_profile
from graph.privacy import PrivacyError, audit

__all__ = ["restrict", "restricted_among", "unrestrict", "visible"]


def _flag(graph: Graph, pid: str, statement: str, kind: str, action: str, by: str, reason: str | None) -> str:
    now = datetime.now(UTC)

    def write(tx: TxGraph, live: str) -> None:
        step = (statement, {"pid": live, "by": by, "now": now})
        tx.write_many(outbox.enclose([step], [ev.event(kind, live)], now))
        audit.record(tx, actor=by, action=action, target=live, reason=reason)

    done = on_live_profile(graph, pid, write)
    if done is None:
        raise PrivacyError(f"no such profile: {pid}")
    return done[0]


def restrict(graph: Graph, pid: str, *, by: str, reason: str | None = None) -> str:
    """Flag a profile (or the profile an alias points to); returns the live profile id."""
    return _flag(graph, pid, "privacy_restrict_set", ev.RESTRICTION_SET, "restriction.set", by, reason)


def unrestrict(graph: Graph, pid: str, *, by: str, reason: str | None = None) -> str:
    return _flag(graph, pid, "privacy_restrict_clear", ev.RESTRICTION_LIFTED, "restriction.clear", by, reason)


def restricted_among(graph: Graph, pids: Iterable[str]) -> set[str]:
    return set(graph.read("privacy_restricted_among", pids=sorted(set(pids)))[0]["pids"])


def visible(graph: Graph, pids: Iterable[str]) -> list[str]:
    """The given profile ids without the restricted ones, in the given order (for the app role)."""
    wanted = list(pids)
    hidden = restricted_among(graph, wanted)
    return [pid for pid in wanted if pid not in hidden]
