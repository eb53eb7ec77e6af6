"""Households: profiles grouped by weak evidence; they never merge people.

Evidence (each switchable in the rules): the same address with the same surname, a shared
device, a joint account. Each is capped: a device or account used by more records than its
cap (a shop's default device id) is not evidence. Households are the connected components
of that evidence over profiles; ids are kept stable the same way as profile ids.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph
from graph.identity import stable_ids
from graph.identity.components import cluster
from graph.identity.evidence import CHUNK, chunks
from graph.identity.rules import Households

__all__ = ["assign_households"]

HOUSEHOLD_PREFIX = "H-"


def _params(rules: Households, address_cap: int) -> dict[str, int]:
    # Caps count records, and one person often has a few records on the same device.
    return {"address_cap": address_cap, "device_cap": rules.device_cap * 2, "account_cap": rules.account_cap}


def _facts(graph: Graph, pids: list[str] | None, params: dict[str, int]) -> list[dict[str, Any]]:
    """The weak evidence of `pids` and of every profile they reach, transitively (of all
    profiles if None). Each step reads its profiles' evidence and what they reach at once."""
    rows: list[dict[str, Any]] = []
    if pids is None:
        for part in chunks([row["pid"] for row in graph.read("household_all_profiles")]):
            rows.extend(graph.read("household_facts", pids=part, **params))
        return rows
    visited = set(pids)
    frontier = sorted(visited)
    while frontier:
        found: set[str] = set()
        for part in chunks(frontier):
            for row in graph.read("household_scope_facts", pids=part, **params)[0]["profiles"]:
                found.update(row.pop("reach"))
                rows.append(row)
        frontier = sorted(found - visited)
        visited.update(frontier)
    return rows


def _keys(rules: Households, row: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    if rules.address_and_surname and row["last_name"]:
        surname = str(row["last_name"]).casefold()
        keys.extend(f"addr:{address}|{surname}" for address in row["addresses"])
    if rules.shared_device:
        keys.extend(f"device:{uid}" for uid in row["devices"])
    if rules.joint_account:
        keys.extend(f"account:{uid}" for uid in row["accounts"])
    return sorted(set(keys))


def assign_households(graph: Graph, rules: Households, address_cap: int, pids: list[str] | None) -> int:
    """(Re)compute households for `pids` and everything they reach (all profiles if None)."""
    params = _params(rules, address_cap)
    rows = sorted(_facts(graph, pids, params), key=lambda r: r["pid"])
    keyed = {row["pid"]: _keys(rules, row) for row in rows}
    members: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        for key in keyed[row["pid"]]:
            members[key].append(i)
    groups = [members[k] for k in sorted(members)]
    clusters = [c for c in cluster(len(rows), groups, []) if any(keyed[rows[i]["pid"]] for i in c)]
    homeless = sorted({rows[i]["pid"] for i in range(len(rows))} - {rows[i]["pid"] for c in clusters for i in c})
    old = {row["pid"]: row["hid"] for row in rows if row["hid"]}
    ages = {row["hid"]: row["created_at"] or "" for row in rows if row["hid"]}
    assignment = stable_ids.assign(
        [[rows[i]["pid"] for i in c] for c in clusters],
        old,
        lambda hid: (ages.get(hid, "~"),),
        HOUSEHOLD_PREFIX,
        lambda hid: hid in ages,
    )
    now = datetime.now(UTC)
    sizes = Counter(old.values())
    payload: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for hid, members_ in zip(assignment.ids, clusters, strict=True):
        pids_ = [rows[i]["pid"] for i in members_]
        if sizes.get(hid) == len(pids_) and all(old.get(pid) == hid for pid in pids_):
            continue
        addresses = sorted({a for i in members_ for a in rows[i]["addresses"]})
        evidence_kinds = sorted({k.split(":", 1)[0] for i in members_ for k in keyed[rows[i]["pid"]]})
        payload.extend(
            {
                "pid": pid,
                "hid": hid,
                "address": addresses[0] if addresses else None,
                "size": len(pids_),
                "evidence": evidence_kinds,
            }
            for pid in pids_
        )
        changes.extend(_moved(pid, old.get(pid), hid) for pid in pids_ if old.get(pid) != hid)
    steps = [
        ("household_assign", {"rows": payload[start : start + CHUNK], "now": now})
        for start in range(0, len(payload), CHUNK)
    ]
    # A profile without a household has none to leave (every profile, in a first build).
    steps += [("household_leave", {"pids": part}) for part in chunks([pid for pid in homeless if pid in old])]
    # Only households that had members in scope can have been emptied by this run.
    steps += [("household_delete_empty", {"hids": part}) for part in chunks(sorted(set(old.values())))]
    changes.extend(_moved(pid, old[pid], None) for pid in homeless if pid in old)
    if len(payload) + len(homeless) + len(old) <= CHUNK:
        if steps:
            graph.write_many(outbox.enclose(steps, changes, now))  # the usual incremental case: one transaction
    else:
        for step in steps[:-1]:
            graph.write_many([step])
        graph.write_many(outbox.enclose(steps[-1:], changes, now))
    return len(clusters)


def _moved(pid: str, previous: str | None, hid: str | None) -> dict[str, Any]:
    return ev.event(ev.HOUSEHOLD_CHANGED, pid, data={"household_id": hid, "previous": previous})
