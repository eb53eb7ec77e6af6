"""The events a load causes (a file through `c360 load`, or `POST /events`), in the load batch's
own transaction: organization membership changed, touchpoint added (only of the configured
types: every page view would be an event otherwise), consent changed.

Only records that already belong to a profile give events: a new record's profile is announced by
resolution (`profile.created` / `profile.merged`), whose consumers fetch the profile anyway.
Probes run next to the loader's statements: membership and touchpoints just before their merge
(is the link new or different?), consents just after (what did this batch write?).
"""

from datetime import datetime
from typing import Any

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Rows, Transaction

__all__ = ["PROBES", "concerns", "run"]

_MEMBERSHIP = {"merge_works_at": "WORKS_AT", "merge_member_of": "MEMBER_OF"}
_TOUCHPOINTS = "merge_had_touchpoint"
_CONSENTS = "privacy_merge_consents"

PROBES = [
    "changes_probe_membership",
    "changes_probe_touchpoints",
    "changes_probe_consents",
    "changes_stage",
    "changes_number",
]
"""Statements `run` may add to a load's transaction (declare them with the loader's own)."""


def concerns(steps: list[outbox.Step], touchpoint_types: tuple[str, ...] = ()) -> bool:
    """Whether a batch of these statements may cause events (else the loader runs it as it is)."""
    names = {name for name, _ in steps}
    return bool(names & {*_MEMBERSHIP, _CONSENTS}) or (bool(touchpoint_types) and _TOUCHPOINTS in names)


def run(tx: Transaction, steps: list[outbox.Step], now: datetime, touchpoint_types: tuple[str, ...] = ()) -> list[Rows]:
    """Run a load batch's `steps` in `tx` with the probes, and stage and number the events they
    found: the events commit with the batch or not at all. Returns each step's rows."""
    events: list[dict[str, Any]] = []
    results: list[Rows] = []
    consents: list[str] = []
    for name, params in steps:
        if name in _MEMBERSHIP:
            relationship = _MEMBERSHIP[name]
            for row in tx.run("changes_probe_membership", rows=params["rows"], rel=relationship):
                data = {"organization": row["organization"], "relationship": relationship.lower()}
                events.append(ev.event(ev.MEMBERSHIP_CHANGED, row["pid"], data=data))
        elif name == _TOUCHPOINTS and touchpoint_types:
            for row in tx.run("changes_probe_touchpoints", rows=params["rows"], types=list(touchpoint_types)):
                data = {"touchpoint": row["touchpoint"], "type": row["type"], "channel": row["channel"]}
                events.append(ev.event(ev.TOUCHPOINT_ADDED, row["pid"], data=data))
        elif name == _CONSENTS:
            consents += [row["uid"] for row in params["rows"]]
        results.append(tx.run(name, **params))
    if consents:  # after the links: a statement and its HAS_CONSENT arrive in the same batch
        for row in tx.run("changes_probe_consents", uids=consents, now=now):
            data = {"purpose": row["purpose"], "channel": row["channel"], "status": row["status"]}
            events.append(ev.event(ev.CONSENT_CHANGED, row["pid"], data=data))
    if events:
        txn = outbox.token()
        for name, params in (outbox.stage_step(events, txn, now), outbox.number_step(txn)):
            tx.run(name, **params)
    return results
