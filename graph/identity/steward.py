"""Steward decisions: same person, not the same person, split, golden-value overrides.

Decisions are edges between records (SAME_AS, NOT_SAME_AS) or override nodes on a profile,
never edits of the profiles themselves, so they hold through every later load and every
full rebuild. Each call re-resolves the records it touched and records who did it and why.
"""

import itertools
import uuid
from datetime import UTC, datetime

from graph.connection import Graph, TxGraph
from graph.identity.lock import locked_waiting, on_live_profile
from graph.identity.resolve import resolve
from graph.identity.rules import MatchRules
from graph.identity.survivorship import ATTRIBUTE_FIELDS, IDENTIFIER_FIELDS
from graph.privacy import audit

__all__ = ["GOLDEN_FIELDS", "StewardError", "link", "profile_id", "set_golden", "split", "unlink"]

GOLDEN_FIELDS = (*ATTRIBUTE_FIELDS, *IDENTIFIER_FIELDS)
MAX_SPLIT_RECORDS = 500


class StewardError(ValueError):
    """The decision names records or profiles that do not exist, or is not allowed."""


def profile_id(graph: Graph, pid: str) -> str | None:
    """The live profile for a profile id or an alias of a merged-away one."""
    live: str | None = graph.read("resolve_profile_id", pid=pid)[0]["pid"]
    return live


def _profiles_of(graph: Graph, uids: list[str]) -> list[str]:
    rows = graph.read("profile_of_records", uids=uids)
    missing = [row["uid"] for row in rows if not row["exists"]]
    if missing:
        raise StewardError(f"no such record: {', '.join(missing)}")
    return sorted({row["pid"] for row in rows if row["pid"] is not None})


def _recorded(graph: Graph, uids: list[str], kind: str, by: str, reason: str | None) -> list[str]:
    """The records' profiles after the decision, with the decision recorded on them: read and
    written in one transaction under the identity lock, so a concurrent merge cannot retire a
    profile between the two (Neo4j would refuse the write with EntityNotFound)."""

    def work(tx: TxGraph) -> list[str]:
        after = _profiles_of(tx, uids)
        _event(tx, after, kind, uids, by, reason)
        return after

    return locked_waiting(graph, work, name="steward_event")


def _event(graph: Graph, pids: list[str], kind: str, records: list[str], by: str, reason: str | None) -> None:
    now = datetime.now(UTC)
    for pid in pids:
        graph.write(
            "steward_record_event",
            pid=pid,
            eid=str(uuid.uuid4()),
            kind=kind,
            reason=reason or kind,
            records=sorted(records),
            by=by,
            now=now,
        )
    # Privacy: every steward decision goes to the audit log, once (ids only, no values).
    audit.record(
        graph,
        actor=by,
        action=f"steward.{kind}",
        target=pids,
        reason=reason or kind,
        details={"records": sorted(records)},
        at=now,
    )


def _pair(uid_a: str, uid_b: str) -> None:
    if uid_a == uid_b:
        raise StewardError("a record is always the same person as itself")


def _decide(
    graph: Graph,
    statement: str,
    kind: str,
    uid_a: str,
    uid_b: str,
    by: str,
    reason: str | None,
    rules: MatchRules,
) -> list[str]:
    _pair(uid_a, uid_b)
    _profiles_of(graph, [uid_a, uid_b])
    graph.write(statement, a=uid_a, b=uid_b, by=by, reason=reason, now=datetime.now(UTC))
    resolve(graph, rules, by=by)
    after = _recorded(graph, [uid_a, uid_b], kind, by, reason)
    return after


def link(graph: Graph, uid_a: str, uid_b: str, *, by: str, reason: str | None = None, rules: MatchRules) -> list[str]:
    """Same person: the two records end up in one profile. Returns the profile id(s) after."""
    return _decide(graph, "steward_link", "link", uid_a, uid_b, by, reason, rules)


def unlink(graph: Graph, uid_a: str, uid_b: str, *, by: str, reason: str | None = None, rules: MatchRules) -> list[str]:
    """Not the same person: the two records never share a profile again."""
    return _decide(graph, "steward_unlink", "unlink", uid_a, uid_b, by, reason, rules)


def split(
    graph: Graph,
    pid: str,
    *,
    by: str,
    reason: str | None = None,
    groups: list[list[str]] | None = None,
    rules: MatchRules,
) -> list[str]:
    """Split a profile: into `groups` of its records, or every record on its own by default."""
    live = profile_id(graph, pid)
    if live is None:
        raise StewardError(f"no such profile: {pid}")
    records = [row["uid"] for row in graph.read("profile_records", pid=live)]
    parts = groups if groups is not None else [[uid] for uid in records]
    listed = [uid for part in parts for uid in part]
    if sorted(listed) != records:
        raise StewardError("split groups must list every record of the profile exactly once")
    if len(records) > MAX_SPLIT_RECORDS:
        raise StewardError(f"profile has {len(records)} records; split at most {MAX_SPLIT_RECORDS} at once")
    pairs = [[a, b] for left, right in itertools.combinations(parts, 2) for a in left for b in right]
    if pairs:
        graph.write("steward_split", pairs=pairs, by=by, reason=reason, now=datetime.now(UTC))
    resolve(graph, rules, by=by)
    after = _recorded(graph, records, "split", by, reason)
    return after


def set_golden(
    graph: Graph,
    pid: str,
    field: str,
    value: str | None,
    *,
    by: str,
    reason: str | None = None,
    rules: MatchRules,
) -> None:
    """Override one golden value (it wins until withdrawn); `None` withdraws the override."""
    if field not in GOLDEN_FIELDS:
        raise StewardError(f"unknown golden field {field!r}; expected one of {list(GOLDEN_FIELDS)}")
    now = datetime.now(UTC)

    def write(tx: TxGraph, live: str) -> None:
        if value is None:
            tx.write("steward_clear_override", pid=live, field=field, now=now)
        else:
            tx.write("steward_set_override", pid=live, field=field, value=value, by=by, reason=reason, now=now)
        # Segments filter on golden values: the profile's membership is due (the refresh after
        # the resolution below works it off; marked here, in the same transaction, so never lost).
        tx.write("traits_mark_profiles", pids=[live])

    done = on_live_profile(graph, pid, write)
    if done is None:
        raise StewardError(f"no such profile: {pid}")
    live = done[0]
    resolve(graph, rules, by=by)
    _event(graph, [live], "golden", [], by, reason or f"{field} {'cleared' if value is None else 'set'}")
