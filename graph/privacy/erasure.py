"""Erasure that sticks: remove a person from the graph and keep them from coming back.

In one transaction: the person's touchpoints are deleted or anonymized, their records go with
their consents, steward decisions and the devices, accounts and identifiers nobody else uses,
their profiles go with aliases, history, overrides and consents, households they leave shrink
(or go), they leave their segments, and the resolution history, audit entries, change events
and segment entries and exits stop naming them (ids become keyed pseudonyms). Suppression
entries (keyed hashes, see suppression.py) make later loads skip their rows. Then the records
they shared identifiers, decisions or a household with are re-resolved.

The erasure's own audit entry holds counts, hashed ids, actor, time and reason only, and is
written in the transaction that deletes: both land or neither.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph, Transaction
from graph.identity.lock import LeaseBusy, write_locked
from graph.identity.resolve import resolve
from graph.identity.rules import MatchRules
from graph.privacy import audit, suppression
from graph.privacy.subject import Subject

__all__ = ["ErasureReport", "erase"]

_ERASED = "[erased]"


@dataclass
class ErasureReport:
    subject: str  # keyed hash standing for the person in the audit log
    profiles: int
    records: int
    identifiers: int
    touchpoints: int
    touchpoints_mode: str
    events_scrubbed: int
    audit_scrubbed: int
    suppression_entries: int
    neighbours_resolved: int
    segment_changes_scrubbed: int = 0
    audit_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pseudonym(secret: bytes, token: str) -> str:
    return "erased:" + suppression.digest(secret, token)[:16]


def _replacements(
    secret: bytes, subject: Subject, plan: list[dict[str, Any]], gone: list[dict[str, Any]]
) -> list[list[str]]:
    """[text, replacement] pairs, longest first so an identifier key goes before its value."""
    pairs = {uid: _pseudonym(secret, uid) for uid in [*subject.pids, *subject.aliases, *subject.uids]}
    for item in gone:
        pairs.setdefault(item["key"], _ERASED)
        pairs.setdefault(item["value"], _ERASED)
    for row in plan:
        for name in row["names"]:
            if len(name) > 1:
                pairs.setdefault(name, _ERASED)
    return [[text, pairs[text]] for text in sorted(pairs, key=lambda t: (-len(t), t))]


def erase(
    graph: Graph,
    subject: Subject,
    *,
    secret: bytes,
    rules: MatchRules,
    actor: str,
    reason: str | None = None,
    touchpoints: Literal["delete", "anonymize"] = "delete",
    now: datetime | None = None,
) -> ErasureReport:
    """Erase the person; `secret` is the suppression key (c360/keyfile.py reads it)."""
    now = now or datetime.now(UTC)
    uids, ids = subject.uids, sorted({*subject.pids, *subject.aliases, *subject.uids})
    plan = graph.read("privacy_erase_plan", uids=uids)
    identifiers = {item["key"]: item for row in plan for item in row["identifiers"]}
    gone = [item for item in identifiers.values() if not item["shared"]]
    strong = set(rules.strong)
    tokens = [suppression.record_token(uid) for uid in uids]
    tokens += [item["key"] for item in gone if item["kind"] in strong and not item["held_out"]]
    hashes = [suppression.digest(secret, token) for token in tokens]
    neighbours = sorted({uid for row in plan for uid in row["neighbours"]} - set(uids))
    replace = _replacements(secret, subject, plan, gone)
    # Entries are found by ids and identifiers; names are only replaced within those, as a
    # first name alone would match the history of unrelated people.
    match = sorted({*ids, *(item["key"] for item in gone), *(item["value"] for item in gone)})
    steps: list[tuple[str, dict[str, Any]]] = [
        (f"privacy_erase_touchpoints_{touchpoints}", {"uids": uids, "now": now}),
        ("privacy_erase_records", {"uids": uids, "keys": sorted(identifiers)}),
        ("privacy_erase_segment_exits", {"pids": subject.pids, "now": now}),
        ("privacy_erase_profiles", {"pids": subject.pids}),
        (
            "privacy_erase_households",
            {
                "hids": sorted({h for row in plan for h in row["households"]}),
                "keys": sorted(item["key"] for item in gone),
            },
        ),
        ("privacy_erase_scrub_events", {"ids": ids, "match": match, "replace": replace, "now": now}),
        ("privacy_erase_scrub_audit", {"ids": ids, "match": match, "replace": replace, "now": now}),
        ("changes_erase_scrub", {"ids": ids, "replace": replace}),
        ("privacy_erase_segment_changes", {"ids": ids, "replace": replace, "now": now}),
        ("privacy_erase_mark_pending", {"uids": neighbours}),
        ("privacy_suppression_add", {"hashes": sorted(set(hashes)), "now": now}),
    ]
    # Ids only: consumers holding copies of the person need the ids to delete them, nothing more.
    erased = [*subject.pids, *sorted(set(subject.aliases) - set(subject.pids))]
    hids = sorted({h for row in plan for h in row["households"]})
    txn = outbox.token()

    def work(tx: Transaction) -> ErasureReport:
        # Under the identity lock: no resolution may re-create what this transaction deletes.
        if (lock := tx.run("identity_lock", now=now)[0])["owner"] is not None and not lock["expired"]:
            raise LeaseBusy(crashed=False)
        counts = {name: (rows[0] if (rows := tx.run(name, **params)) else {}) for name, params in steps}
        events = [ev.event(ev.ERASED, erased[0], others=erased[1:])] if erased else []
        # The members left behind in the person's households: same household, one member fewer.
        for row in tx.run("changes_household_members", hids=hids):
            same = {"household_id": row["hid"], "previous": row["hid"]}
            events.append(ev.event(ev.HOUSEHOLD_CHANGED, row["pid"], data=same))
        if events:
            for name, params in (outbox.stage_step(events, txn, now), outbox.number_step(txn)):
                tx.run(name, **params)
        report = ErasureReport(
            subject=_pseudonym(secret, "subject:" + ",".join(uids)),
            profiles=counts["privacy_erase_profiles"].get("profiles", 0),
            records=counts["privacy_erase_records"].get("records", 0),
            identifiers=counts["privacy_erase_records"].get("identifiers", 0),
            touchpoints=counts[steps[0][0]].get("touchpoints", 0),
            touchpoints_mode=touchpoints,
            events_scrubbed=counts["privacy_erase_scrub_events"].get("events", 0),
            audit_scrubbed=counts["privacy_erase_scrub_audit"].get("entries", 0),
            suppression_entries=len(set(hashes)),
            neighbours_resolved=len(neighbours),
            segment_changes_scrubbed=counts["privacy_erase_segment_changes"].get("changes", 0),
        )
        # In the same transaction as the deletes: an erasure is never without its entry.
        entry = audit.entry(
            actor=actor,
            action="subject.erase",
            target=[_pseudonym(secret, uid) for uid in subject.pids],
            reason=reason,
            details={k: v for k, v in report.as_dict().items() if k != "audit_id"},
            at=now,
        )
        report.audit_id = str(tx.run(audit.RECORD, entries=[entry])[0]["id"])
        return report

    names = [
        "identity_lock",
        *(name for name, _ in steps),
        "changes_household_members",
        "changes_stage",
        "changes_number",
    ]
    report = write_locked(graph, [*names, audit.RECORD], work)
    # Re-cluster what the person held together: shared identifiers may drop under their cap,
    # a household may lose its only evidence.
    resolve(graph, rules, by=actor)
    return report
