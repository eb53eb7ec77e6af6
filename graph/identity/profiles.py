"""Turn clusters with assigned ids into Profile writes: golden values, conflicts, history."""

import json
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph import attributes
from graph.connection import Graph
from graph.identity import evidence, feed, survivorship
from graph.identity.rules import MatchRules
from graph.identity.stable_ids import Assignment

__all__ = ["Plan", "build", "profile_props", "write"]

BATCH = 5000


@dataclass
class Plan:
    profiles: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, str]] = field(default_factory=list)
    retire: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    """Change-feed events other than golden-value changes (those are found while writing)."""
    conflicts: int = 0


def build(
    graph: Graph,
    rules: MatchRules,
    facts: evidence.Evidence,
    clusters: list[list[int]],
    assignment: Assignment,
    changed: list[int],
    *,
    by: str,
    restricted: set[str],
    live_ids: Collection[str] | None = None,
) -> Plan:
    """`restricted`: current profiles under a processing restriction. A profile built from any of
    their records is restricted too (a merge or split must not lift a restriction). `live_ids`: every
    id the run assigns, when `clusters` are only some of them (a rebuild written in batches)."""
    plan = Plan()
    created: list[str] = []
    pids = [assignment.ids[i] for i in changed]
    overrides: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    wanted = sorted(set(pids) | set(assignment.aliases))
    for part in evidence.chunks(wanted):
        for row in graph.read("resolve_profile_overrides", pids=part):
            live: str = assignment.aliases.get(row["pid"]) or row["pid"]
            overrides[live].setdefault(row["field"], row)
    for index in changed:
        pid = assignment.ids[index]
        records = [facts.records[i] for i in clusters[index]]
        props, conflicted = profile_props(rules, records, overrides.get(pid, {}))
        if any(r.pid in restricted for r in records):
            props["restricted"] = True
        if pid not in assignment.split_from and all(r.pid != pid for r in records):
            created.append(pid)
        plan.conflicts += bool(conflicted)
        plan.profiles.append({"pid": pid, "props": props})
        plan.assignments.extend({"uid": r.uid, "pid": pid} for r in records if r.pid != pid)
    plan.retire = [{"old": old, "new": new} for old, new in sorted(assignment.aliases.items())]
    plan.events = _events(facts, clusters, assignment, by, live_ids)
    plan.changes = feed.events(assignment, created)
    return plan


def profile_props(
    rules: MatchRules, records: list[evidence.Record], overrides: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    candidates: dict[str, list[survivorship.Candidate]] = defaultdict(list)
    custom = sorted({name for r in records for name in r.attrs if attributes.is_attribute(name)})
    for record in records:
        for name in (*survivorship.ATTRIBUTE_FIELDS, *custom):
            if name in record.attrs:
                candidates[name].append(
                    survivorship.Candidate(record.attrs[name], record.source, record.uid, record.at)
                )
        for key, kind, _, _ in record.ids:
            if kind in survivorship.IDENTIFIER_FIELDS.values():
                value = key.split(":", 1)[1]
                candidates[kind].append(survivorship.Candidate(value, record.source, record.uid, record.at))
    values, provenance = survivorship.golden(rules.survivorship, candidates, overrides)
    conflicted = [
        name for name in rules.conflicts.attributes if len({r.attrs[name] for r in records if name in r.attrs}) > 1
    ] + [
        kind
        for kind in rules.conflicts.identifier_kinds
        if len({key for r in records for key, k, _, _ in r.ids if k == kind}) > 1
    ]
    props = {name: values.get(name) for name in (*survivorship.ATTRIBUTE_FIELDS, "email", "phone", *custom)}
    props |= {
        "display_name": _display_name(values, records),
        "record_count": len(records),
        # A record created bare (pending, without `source`) names no source: not a None in the list.
        "sources": sorted({r.source for r in records if r.source is not None}),
        "golden": json.dumps(provenance, sort_keys=True, default=str),
        "conflicts": conflicted or None,
    }
    return props, conflicted


def _display_name(values: dict[str, Any], records: list[evidence.Record]) -> str:
    name = " ".join(str(values[k]) for k in ("first_name", "last_name") if values.get(k))
    if name:
        return name
    full = sorted(r.attrs["full_name"] for r in records if r.attrs.get("full_name"))
    if full:
        return str(full[0])
    if values.get("email"):
        return str(values["email"])
    return "Anonymous visitor"


def _events(
    facts: evidence.Evidence, clusters: list[list[int]], assignment: Assignment, by: str, live: Collection[str] | None
) -> list[dict[str, Any]]:
    events = []
    position = {pid: i for i, pid in enumerate(assignment.ids)}
    alive = position if live is None else live
    for survivor, absorbed in sorted(assignment.merged.items()):
        members = [facts.records[i] for i in clusters[position[survivor]]]
        events.append(_event(survivor, "merge", members, absorbed, by, _links_across(members)))
    for new, origin in sorted(assignment.split_from.items()):
        members = [facts.records[i] for i in clusters[position[new]]]
        reason = (
            "links to the rest of the profile no longer hold (changed record, held-out identifier or steward decision)"
        )
        events.append(_event(new, "split", members, [origin], by, reason))
        if origin in alive:
            events.append(_event(origin, "split", members, [origin], by, f"records moved to {new}"))
    return events


def _links_across(members: list[evidence.Record]) -> str:
    """The identifiers and steward links that join records of different former profiles."""
    owners: dict[str, set[str | None]] = defaultdict(set)
    for record in members:
        for key, _, _, _ in record.ids:
            owners[key].add(record.pid)
    keys = sorted(key for key, pids in owners.items() if len(pids) > 1)
    steward = sorted({f"same_as:{r.uid}" for r in members if r.same})
    return "linked by " + ", ".join((keys + steward)[:10]) if keys or steward else "re-clustered"


def _event(
    pid: str, kind: str, members: list[evidence.Record], from_pids: list[str], by: str, reason: str
) -> dict[str, Any]:
    return {
        "pid": pid,
        "eid": str(uuid.uuid4()),
        "kind": kind,
        "reason": reason,
        "by": by,
        "records": sorted(r.uid for r in members),
        "from_pids": sorted(from_pids),
    }


def one_transaction(plan: Plan, held_out: list[dict[str, Any]]) -> bool:
    """Whether `write` commits the plan in one transaction (else its events go with the last)."""
    items = (plan.profiles, plan.assignments, plan.retire, plan.events, held_out)
    return sum(len(part) for part in items) <= BATCH


def write(graph: Graph, plan: Plan, held_out: list[dict[str, Any]], now: datetime, *, due: bool = False) -> None:
    """Profiles first, then records re-pointed, then retirements (they need the survivors).
    Pending flags are not touched: the caller clears them after everything else (resolve._run).
    `due`: mark the written profiles' traits due (`traits_pending`), in the same statement.

    A small change (the usual incremental case) is one transaction: readers never see a
    record between two profiles. A rebuild is written in batches to bound transaction memory.
    """
    steps: list[tuple[str, str, list[Any]]] = [
        ("resolve_upsert_profiles", "rows", plan.profiles),
        ("resolve_assign_records", "rows", plan.assignments),
        ("resolve_retire_profiles", "rows", plan.retire),
        ("resolve_record_events", "rows", plan.events),
        ("resolve_mark_held_out", "rows", held_out),
    ]
    batches = [
        (name, {key: items[start : start + BATCH], "now": now, "due": due})
        for name, key, items in steps
        for start in range(0, len(items), BATCH)
    ]
    if one_transaction(plan, held_out):
        transactions = [batches] if batches else []
    else:
        transactions = [[batch] for batch in batches]
    for transaction in feed.steps(transactions, "resolve_upsert_profiles", plan.changes, now):
        graph.write_many(transaction)
