"""Consent per profile, purpose and channel: the latest statement wins.

Statements come from two places: loaded from source systems through a mapping with a
`consent` entity (`(:Customer)-[:HAS_CONSENT]->(:Consent)`, so they follow their record
through merges and splits), and set through c360 by stewards or admins (`(:Consent {pid})`,
found again through the alias when that profile is merged away). For each purpose and
channel the statement with the latest `at` wins (ties: the one recorded last).
"""

import builtins
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from graph import segments
from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph, TxGraph
from graph.identity.lock import on_live_profile
from graph.privacy import PrivacyError, audit, restriction
from graph.privacy._values import plain
from graph.values import native

__all__ = ["STATUSES", "Statement", "Status", "allowed", "for_profiles", "pair", "set", "statements"]

Status = Literal["granted", "denied", "withdrawn"]
STATUSES: tuple[str, ...] = get_args(Status)
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Statement:
    uid: str
    purpose: str
    channel: str
    status: str
    at: datetime
    recorded_at: datetime | None
    source: str | None
    evidence: str | None
    by: str | None

    def as_dict(self) -> dict[str, Any]:
        return {key: plain(value) for key, value in self.__dict__.items()}


def pair(value: str | None) -> tuple[str, str] | None:
    """`PURPOSE:CHANNEL` (as exports and the suppression list take it) as a normalized pair;
    None stays None. Raises ValueError naming the expected form."""
    if value is None:
        return None
    purpose, _, channel = value.partition(":")
    if not purpose.strip() or not channel.strip():
        raise ValueError("consent is PURPOSE:CHANNEL, e.g. marketing:email")
    return purpose.strip().lower(), channel.strip().lower()


def statements(graph: Graph, pids: Iterable[str]) -> dict[str, list[Statement]]:
    """Every statement about each profile, oldest first (profiles without any are absent)."""
    found: dict[str, list[Statement]] = defaultdict(list)
    for row in graph.read("privacy_consent_statements", pids=sorted(builtins.set(pids))):
        found[row["pid"]].append(
            Statement(
                uid=row["uid"],
                purpose=row["purpose"],
                channel=row["channel"],
                status=row["status"],
                at=native(row["at"]),
                recorded_at=native(row["recorded_at"]),
                source=row["source"],
                evidence=row["evidence"],
                by=row["by"],
            )
        )
    for items in found.values():
        items.sort(key=_order)
    return dict(found)


def _order(statement: Statement) -> tuple[datetime, datetime, str]:
    return statement.at, statement.recorded_at or _EPOCH, statement.uid


def for_profiles(graph: Graph, pids: Iterable[str]) -> dict[str, list[Statement]]:
    """The statement in force per purpose and channel for each profile."""
    effective: dict[str, list[Statement]] = {}
    for pid, items in statements(graph, pids).items():
        latest: dict[tuple[str, str], Statement] = {}
        for statement in items:  # oldest first: later ones replace earlier ones
            latest[(statement.purpose, statement.channel)] = statement
        effective[pid] = [latest[key] for key in sorted(latest)]
    return effective


def allowed(graph: Graph, pids: Iterable[str], purpose: str, channel: str) -> builtins.set[str]:
    """The profiles that may be contacted for `purpose` on `channel`: consent granted and in
    force, and processing not restricted. No statement means no consent."""
    wanted = (_label(purpose), _label(channel))
    candidates = list(pids)
    granted = builtins.set()
    restricted = restriction.restricted_among(graph, candidates)
    for pid, items in for_profiles(graph, candidates).items():
        if pid not in restricted and any((s.purpose, s.channel) == wanted and s.status == "granted" for s in items):
            granted.add(pid)
    return granted


def _label(value: str) -> str:
    label = " ".join(value.split()).lower()
    if not label:
        raise PrivacyError("purpose and channel must not be empty")
    return label


def set(  # noqa: A001 - the API reads best as consent.set(...)
    graph: Graph,
    pid: str,
    purpose: str,
    channel: str,
    status: str,
    *,
    by: str,
    source: str = "c360",
    evidence: str | None = None,
    at: datetime | None = None,
    reason: str | None = None,
) -> str:
    """Record a statement for a profile (or an alias of one); returns the consent's uid."""
    if status not in STATUSES:
        raise PrivacyError(f"unknown consent status {status!r}; expected one of {list(STATUSES)}")
    now = datetime.now(UTC)
    uid = f"{source}:{uuid.uuid4()}"
    values = {"purpose": _label(purpose), "channel": _label(channel), "status": status}

    def write(tx: TxGraph, live: str) -> None:
        params = {"pid": live, "uid": uid, "at": at or now, "now": now, "source": source, "evidence": evidence}
        step = ("privacy_consent_set", params | values | {"by": by})
        tx.write_many(outbox.enclose([step], [ev.event(ev.CONSENT_CHANGED, live, data=values)], now))
        audit.record(tx, actor=by, action="consent.set", target=live, reason=reason, details=values)
        # Consent is part of segment eligibility: the profile's membership follows the statement
        # in the same transaction (which holds the identity lock, as a refresh must).
        segments.refresh(tx, [live])

    if on_live_profile(graph, pid, write) is None:
        raise PrivacyError(f"no such profile: {pid}")
    return uid
