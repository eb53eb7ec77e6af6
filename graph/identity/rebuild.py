"""A full rebuild that streams: components from compact integer links, profiles written in batches.

The in-memory rebuild read every record's facts (attributes, identifiers with degrees, steward
decisions) at once, which bounded it by decoding rows in Python and by memory. This one holds
per record only a number (its place in record-id order), its current profile as a number and
whether it is pending; it pages through the records, then through the linking identifiers
(judging each one as it passes, from its sharers' names and birth dates), keeps only the
integer groups that link, and computes components with scipy. Only the clusters whose profile
must be written have their facts read, a batch at a time, with the same survivorship, stable-id
and history code as an incremental run. The result is the in-memory rebuild's, record for
record (the invariant checker and the tests compare the two).
"""

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from graph.connection import Graph, Rows
from graph.identity import evidence, first_build, people, profiles, stable_ids
from graph.identity.components import cluster
from graph.identity.fuzzy import block_pairs
from graph.identity.report import ResolveReport
from graph.identity.rules import MatchRules
from graph.identity.scoring.score import score_records

__all__ = ["FAST_FIRST_BUILD", "PAGE", "WRITE_BATCH", "Links", "RecordIndex", "clear_claimed", "rebuild"]

PAGE = 10_000
"""Records or identifiers read per page."""
WRITE_BATCH = 2_000
"""Clusters whose facts are read and whose profiles are written per batch."""
FAST_FIRST_BUILD = True
"""A first build (no record has a profile) is written by first_build.write_new. False: by the
general writer, the reference the tests compare it with."""
_VERDICT_FIELDS = ("first_name", "last_name", "full_name", "birth_date")


@dataclass
class RecordIndex:
    """Every record as a number, in record-id order, with its current profile and pending flag."""

    uids: list[str] = field(default_factory=list)
    pids: list[str] = field(default_factory=list)
    old: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    """Per record: the index of its current profile in `pids`, or -1."""
    pending: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    number: dict[str, int] = field(default_factory=dict)


class _OldPids(Mapping[int, str]):
    """Record number -> current profile id, over the index's arrays (for stable_ids.assign)."""

    def __init__(self, index: RecordIndex) -> None:
        self._index = index

    def __getitem__(self, record: int) -> str:
        slot = int(self._index.old[record])
        if slot < 0:
            raise KeyError(record)
        return self._index.pids[slot]

    def __iter__(self) -> Iterator[int]:
        return (int(i) for i in np.flatnonzero(self._index.old >= 0))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._index.old >= 0))


@dataclass
class Links:
    groups: list[np.ndarray] = field(default_factory=list)
    """Record numbers sharing one identifier that links (strong, shared, not held out)."""
    pairs: list[tuple[int, int]] = field(default_factory=list)
    cannot: list[tuple[int, int]] = field(default_factory=list)
    held_out: list[tuple[str, int]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    """Verdicts that differ from the stored `held_out`."""


def _pages(run: Callable[..., Rows], name: str, **params: Any) -> Iterator[list[Any]]:
    """Pages of a `..._page` statement (`run`: the graph's read or write): one row each, `rows` in
    a list, `last` the key to go on from."""
    after = ""
    while True:
        page = run(name, after=after, limit=PAGE, **params)[0]
        if page["rows"]:
            yield page["rows"]
        if page["count"] < PAGE:
            return
        after = page["last"]


def index_records(graph: Graph, rules: MatchRules, now: datetime, token: str) -> RecordIndex:
    """Page through every record: claim it for the run `token` if pending, derive its keys
    (written as each page passes) and number it."""
    uids: list[str] = []
    pids: list[str | None] = []
    pending: list[bool] = []
    # Not written behind (as first_build does): the claim is a fenced write too, and two fenced
    # transactions queue on the lease node, so the derived keys' write and the next page's claim
    # would only take turns (measured at 1M: the renewals waited 101 s in all, against 14 s
    # without, and the derive phase took 147 s against 124 s).
    for rows in _pages(graph.write, "resolve_records_claim_page", token=token):
        evidence.derive_keys(graph, rules, rows, now)
        for row in rows:
            uids.append(row["uid"])
            pids.append(row["pid"])
            pending.append(bool(row["pending"]))
    # Python's order, which numbers records in the in-memory rebuild (Cypher may order others).
    order = sorted(range(len(uids)), key=uids.__getitem__)
    index = RecordIndex(uids=[uids[i] for i in order])
    slot: dict[str, int] = {}
    old = np.full(len(order), -1, dtype=np.int32)
    for at, i in enumerate(order):
        pid = pids[i]
        if pid is not None:
            old[at] = slot.setdefault(pid, len(slot))
    index.pids = list(slot)
    index.old = old
    index.pending = np.array([pending[i] for i in order], dtype=bool)
    index.number = {uid: at for at, uid in enumerate(index.uids)}
    return index


def read_links(graph: Graph, rules: MatchRules, index: RecordIndex) -> Links:
    """The integer evidence: identifier groups (each judged as it is read), steward and scored pairs."""
    links = Links()
    strong = set(rules.strong)
    blocks = rules.blocks
    fields = list(dict.fromkeys([*_VERDICT_FIELDS, *(rule.compare for rule in blocks.values())]))
    number = index.number
    for rows in _pages(graph.read, "resolve_identifiers_page", kinds=rules.linking, limits=rules.caps(), fields=fields):
        for key, kind, degree, stored, records in rows:
            if degree == 0:
                continue  # on no record: the in-memory rebuild never sees it either
            sharers = [dict(zip(fields, values[1:], strict=True)) for values in records]
            members = sorted(number[values[0]] for values in records if values[0] in number)
            if kind in strong:
                held = people.verdict(rules, kind, degree, sharers)
                if held != stored:
                    links.marks.append({"key": key, "held_out": held})
                if held:
                    links.held_out.append((key, degree))
                elif len(members) > 1:
                    links.groups.append(np.array(members, dtype=np.int64))
            elif kind in blocks and len(members) > 1:
                rule = blocks[kind]
                by_number = {number[v[0]]: s.get(rule.compare) for v, s in zip(records, sharers, strict=True)}
                values = [(n, "" if by_number[n] is None else str(by_number[n])) for n in members]
                links.pairs.extend((i, j) for i, j in block_pairs(values, rule.threshold))
    use_scores = rules.scoring_on is not None  # scoring off: stored scored links are ignored
    scored: list[tuple[int, int]] = []
    for row in graph.read("resolve_record_links"):
        a, b = number.get(row["a"]), number.get(row["b"])
        if a is None or b is None or a == b:
            continue
        pair = (min(a, b), max(a, b))
        if row["type"] == "SAME_AS":
            links.pairs.append(pair)
        elif row["type"] == "NOT_SAME_AS":
            links.cannot.append(pair)
        elif use_scores:
            scored.append(pair)
    # A scored link is evidence like an identifier shared by exactly those two records.
    links.groups.extend(np.array(pair, dtype=np.int64) for pair in sorted(set(scored)))
    links.pairs = sorted(set(links.pairs))
    links.cannot = sorted(set(links.cannot))
    links.held_out.sort(key=lambda item: (-item[1], item[0]))
    return links


def clear_claimed(graph: Graph, token: str) -> int:
    """Clear `pending` on the records `token` claimed, a page at a time; how many."""
    cleared = 0
    while True:
        done = int(graph.write("resolve_clear_claimed", token=token, limit=PAGE)[0]["cleared"])
        cleared += done
        if done < PAGE:
            return cleared


def _ids(
    graph: Graph, index: RecordIndex, clusters: list[list[int]], prefix: str
) -> tuple[stable_ids.Assignment, set[str]]:
    """Stable ids for the clusters (as resolve._assign does, over record numbers)."""
    candidates = {stable_ids.new_id(prefix, index.uids[members[0]], lambda _: False) for members in clusters}
    ages, restricted, taken = evidence.id_state(graph, index.pids, candidates - set(index.pids))
    assignment = stable_ids.assign(
        clusters,
        _OldPids(index),
        lambda pid: (ages.get(pid, "~"),),
        prefix,
        lambda pid: pid in taken or pid in ages,
        anchor=index.uids.__getitem__,
    )
    return assignment, restricted


def _changed(index: RecordIndex, clusters: list[list[int]], assignment: stable_ids.Assignment) -> list[int]:
    """Clusters whose profile must be (re)written: new members, lost members, or changed records
    (resolve._changed, vectorized: a cluster stays when it has exactly its id's old records)."""
    if not clusters:
        return []
    slot = {pid: i for i, pid in enumerate(index.pids)}
    mine = np.array([slot.get(pid, -1) for pid in assignment.ids], dtype=np.int64)
    label = np.empty(len(index.uids), dtype=np.int64)
    size = np.empty(len(clusters), dtype=np.int64)
    for at, members in enumerate(clusters):
        label[members] = at
        size[at] = len(members)
    kept = (index.old == mine[label]) & ~index.pending
    bad = np.bincount(label, weights=(~kept).astype(np.float64), minlength=len(clusters))
    old_sizes = np.bincount(index.old[index.old >= 0], minlength=max(1, len(index.pids)))
    same = (mine >= 0) & (bad == 0) & (old_sizes[np.maximum(mine, 0)] == size)
    return [int(at) for at in np.flatnonzero(~same)]


def _sub(assignment: stable_ids.Assignment, batch: list[int]) -> stable_ids.Assignment:
    ids = [assignment.ids[at] for at in batch]
    mine = set(ids)
    return stable_ids.Assignment(
        ids,
        {old: new for old, new in assignment.aliases.items() if new in mine},
        {pid: absorbed for pid, absorbed in assignment.merged.items() if pid in mine},
        {pid: origin for pid, origin in assignment.split_from.items() if pid in mine},
    )


def rebuild(
    graph: Graph,
    rules: MatchRules,
    now: datetime,
    *,
    by: str,
    prefix: str,
    token: str,
    journal: Callable[[profiles.Plan], None] | None = None,
) -> ResolveReport:
    """Re-cluster every record and write what changed, in batches. The caller holds the lease
    (`graph` is fenced); pending records are claimed for `token` as they are read, and the
    caller clears them afterwards (`clear_claimed`)."""
    out = ResolveReport("full")
    lap = [time.perf_counter()]

    def timed(name: str) -> None:
        now_ = time.perf_counter()
        out.timings[name] = round(now_ - lap[0], 4)
        lap[0] = now_

    index = index_records(graph, rules, now, token)
    out.claimed = int(np.count_nonzero(index.pending))
    timed("derive")
    if rules.scoring_on is not None:
        # New and changed records are scored before their links are read, so they count.
        pending = [index.uids[i] for i in np.flatnonzero(index.pending)]
        out.scoring = score_records(graph, rules.scoring_on, pending).as_dict()
        timed("score")
    links = read_links(graph, rules, index)
    timed("read")
    clusters = cluster(len(index.uids), links.groups, links.pairs, links.cannot)
    del links.groups
    out.records, out.clusters, out.held_out = len(index.uids), len(clusters), links.held_out
    timed("cluster")
    assignment, restricted = _ids(graph, index, clusters, prefix)
    first = FAST_FIRST_BUILD and not index.pids  # no record has a profile: every cluster is a new profile
    changed = [] if first else _changed(index, clusters, assignment)
    out.merges, out.splits = len(assignment.merged), len(assignment.split_from)
    retire = [{"old": old, "new": new} for old, new in sorted(assignment.aliases.items())]
    timed("ids")
    if journal is not None:
        journal(profiles.Plan(retire=retire))  # before the first write: a crash finishes these
    if first:
        out.written, out.conflicts = first_build.write_new(graph, rules, index.uids, clusters, assignment.ids, now)
        out.created = out.written
    live = set(assignment.ids)
    for start in range(0, len(changed), WRITE_BATCH):
        batch = changed[start : start + WRITE_BATCH]
        facts = evidence.gather(graph, rules, (index.uids[i] for at in batch for i in clusters[at]))
        local = [[facts.index[index.uids[i]] for i in clusters[at]] for at in batch]
        sub = _sub(assignment, batch)
        plan = profiles.build(
            graph, rules, facts, local, sub, list(range(len(batch))), by=by, restricted=restricted, live_ids=live
        )
        plan.retire = []  # after every survivor is written (below)
        out.written += len(plan.profiles)
        out.conflicts += plan.conflicts
        out.created += sum(
            1 for members, pid in zip(local, sub.ids, strict=True) if all(facts.records[i].pid != pid for i in members)
        )
        if journal is not None and plan.changes and not profiles.one_transaction(plan, []):
            # Its events commit with its last transaction: journaled, a crash before then
            # still gets them into the outbox (the repair re-stages what did not land).
            journal(profiles.Plan(retire=retire, changes=plan.changes))
        profiles.write(graph, plan, [], now)
    profiles.write(graph, profiles.Plan(retire=retire), links.marks, now)
    timed("write")
    return out
