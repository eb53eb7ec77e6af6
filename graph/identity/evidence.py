"""Read what resolution needs from the graph: the records in scope and what links them."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from graph.connection import Graph
from graph.identity.rules import MatchRules
from graph.identity.scoring.table import block_keys
from graph.normalize import text

__all__ = [
    "KEY_FIELDS",
    "Evidence",
    "Record",
    "chunks",
    "derive_keys",
    "derived_identifiers",
    "fact_kinds",
    "gather",
    "id_state",
    "scope",
]

CHUNK = 5000
KEY_FIELDS = ("first_name", "last_name", "full_name", "birth_date", "street", "city", "postcode", "country")
"""A record's attributes derived keys are made from: what the claim statements read
(`resolve_claim_batch`, `resolve_claim_pending`, `resolve_records_claim_page`; a test checks)
and what a bulk import derives from."""
# Golden email and phone come from identifiers, so they are read even if made weak.
_GOLDEN_KINDS = ("email", "phone")


@dataclass(frozen=True, slots=True)
class Record:
    uid: str
    source: str
    at: str
    pending: bool
    pid: str | None
    attrs: dict[str, Any]
    ids: list[tuple[str, str, int, bool]]  # (key, kind, degree, held out)
    same: list[str]
    cannot: list[str]
    scored: list[str]  # records this one has a scored link with (above the link threshold)


@dataclass(frozen=True)
class Evidence:
    records: list[Record]
    index: dict[str, int]


def chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fact_kinds(rules: MatchRules) -> list[str]:
    """Identifier kinds a record's facts carry: those that link, and those golden values come from."""
    return sorted(set(rules.linking) | set(_GOLDEN_KINDS))


def _record(row: dict[str, Any]) -> Record:
    return Record(
        row["uid"],
        row["source"],
        row["at"] or "",
        bool(row["pending"]),
        row["pid"],
        # Custom attributes (`attr_*`, graph/attributes.py) join the built-in ones for survivorship.
        {k: v for k, v in row["attrs"].items() if v is not None} | {k: v for k, v in row.get("custom") or []},
        [(key, kind, degree, held) for key, kind, degree, held in row["ids"]],
        row["same"],
        row["cannot"],
        row["scored"],
    )


def gather(graph: Graph, rules: MatchRules, uids: Iterable[str] | None) -> Evidence:
    """Facts for `uids`, or for every record when `uids` is None."""
    kinds = fact_kinds(rules)
    if uids is None:
        rows = graph.read("resolve_all_record_facts", kinds=kinds)
    else:
        rows = []
        for part in chunks(sorted(uids)):
            rows.extend(graph.read("resolve_record_facts", uids=part, kinds=kinds)[0]["records"])
    records = sorted((_record(row) for row in rows), key=lambda r: r.uid)
    return Evidence(records, {r.uid: i for i, r in enumerate(records)})


def scope(graph: Graph, rules: MatchRules, seeds: Iterable[str], released: Iterable[str] = ()) -> Evidence:
    """The facts of the seeds and of every record linked to them, transitively, and of their
    profiles' records, each read once: its facts and the records it reaches come in one statement
    (a closure walk and then a second read of every record in it cost twice).

    `released`: identifiers marked held out that link again as of this run.

    The records are a union of whole evidence components and whole old profiles, so clustering
    them alone gives the same answer as clustering everything.
    """
    params = {
        "kinds": fact_kinds(rules),
        "linking": rules.linking,
        "strong": rules.strong,
        "caps": rules.caps(),
        "released": sorted(released),
    }
    visited = set(seeds)
    frontier = sorted(visited)
    rows: list[dict[str, Any]] = []
    while frontier:
        found: set[str] = set()
        for part in chunks(frontier):
            for row in graph.read("resolve_scope_facts", uids=part, **params)[0]["records"]:
                found.update(row["reach"], row["same"], row["scored"])
                rows.append(row)
        frontier = sorted(found - visited)
        visited.update(frontier)
    records = sorted((_record(row) for row in rows), key=lambda r: r.uid)
    return Evidence(records, {r.uid: i for i, r in enumerate(records)})


def id_state(
    graph: Graph, old_pids: Iterable[str], candidates: Iterable[str]
) -> tuple[dict[str, str], set[str], set[str]]:
    """What stable ids need from the graph: (creation time of each of `old_pids`, those of them
    that are restricted, the `candidates` a profile or an alias already holds). Both reads in one
    statement per chunk, one row each (a micro-batch: one round trip)."""
    olds = list(chunks(sorted(set(old_pids))))
    news = list(chunks(sorted(set(candidates))))
    ages: dict[str, str] = {}
    restricted: set[str] = set()
    taken: set[str] = set()
    for i in range(max(len(olds), len(news))):
        parts = {"pids": olds[i] if i < len(olds) else [], "candidates": news[i] if i < len(news) else []}
        state = graph.read("resolve_assign_state", **parts)[0]
        for row in state["profiles"]:
            ages[row["pid"]] = row["created_at"]
            if row["restricted"]:
                restricted.add(row["pid"])
        taken.update(state["taken"])
    return ages, restricted, taken


def derived_identifiers(rules: MatchRules, attrs: dict[str, Any]) -> list[dict[str, str]]:
    keys = [(d.kind, d.fields) for d in rules.derived]
    keys += [(kind, rule.block_on) for kind, rule in rules.blocks.items()]
    found = []
    for kind, fields in keys:
        values = [attrs.get(field) for field in fields]
        if any(v is None or v == "" for v in values):
            continue
        value = "|".join(text(str(v)).casefold() for v in values)
        found.append({"key": f"{kind}:{value}", "kind": kind, "value": value})
    if rules.scoring_on is not None:
        # Blocking keys of the scoring model: candidates are found through them in the graph.
        for kind, value in block_keys(rules.scoring_on, attrs):
            found.append({"key": f"{kind}:{value}", "kind": kind, "value": value})
    return found


def derive_keys(graph: Graph, rules: MatchRules, rows: list[dict[str, Any]], now: object) -> None:
    """Write derived-key identifiers for these records (rows of uid, attrs, current derived keys)."""
    payload = []
    for row in rows:
        identifiers = derived_identifiers(rules, row["attrs"])
        # Unchanged keys are not rewritten: a rebuild of an unchanged graph writes nothing here.
        if sorted(i["key"] for i in identifiers) != sorted(row["derived"]):
            payload.append({"uid": row["uid"], "identifiers": identifiers})
    for start in range(0, len(payload), CHUNK):
        graph.write("resolve_write_derived", rows=payload[start : start + CHUNK], now=now)
