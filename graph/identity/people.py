"""Held out or not: do the records sharing an identifier look like one person or several?

An identifier is held out of merging when its records show evidence of being different
people (distinct birth dates, surnames that are not alike) or when more records share it than
its kind's cap. The decision is a function of *all* records on the identifier, never of the
records a run happens to have in scope, so an incremental run and a full rebuild agree:

- a full rebuild assesses every identifier from the facts it has read anyway;
- an incremental run assesses the identifiers of the records that changed (the only ones
  whose verdict can have changed), reading their sharers from the graph.

The verdict is stored on the identifier (`held_out`) with the profiles at the end of the run;
until then the incremental scope still follows an identifier that has just become held out,
so the records it used to join are re-clustered (see queries/resolve_scope_facts.cypher).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import JaroWinkler

from graph.connection import Graph
from graph.identity import evidence
from graph.identity.rules import MatchRules

__all__ = ["Verdict", "assess_facts", "assess_records", "changes", "count_people", "held_keys", "verdict"]

# (key, kind, records sharing it, held out now, held out as stored)
Verdict = tuple[str, str, int, bool, bool]
_Name = tuple[str, str]  # (first, last), folded; first may be ""


def _fold(value: Any) -> str:
    return _fold_text(str(value))


@lru_cache(maxsize=1 << 16)
def _fold_text(value: str) -> str:
    # Cached: the same names come back for every identifier their records share, in every run.
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _name(attrs: Mapping[str, Any]) -> _Name | None:
    last = _fold(attrs.get("last_name") or "")
    first = _fold(attrs.get("first_name") or "")
    if last:
        return first, last
    if first:
        return None  # a first name alone says nothing about the surname
    # A full name alone ("Ann Smith" on a help-desk ticket): its last word is the surname; a
    # single word could be either name.
    words = _fold(attrs.get("full_name") or "").split()
    return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else None


def _alike(a: str, b: str, threshold: float) -> bool:
    # "fontaine" vs "de la fontaine": a surname written with or without its particle.
    return JaroWinkler.normalized_similarity(a, b) >= threshold or a.endswith(" " + b) or b.endswith(" " + a)


def _same_name(a: _Name, b: _Name, threshold: float) -> bool:
    if _alike(a[1], b[1], threshold):
        return True
    if not (a[0] and b[0]):
        # A surname without a first name may be a first name put in the wrong column.
        lone, other = (a, b) if not a[0] else (b, a)
        return bool(other[0]) and _alike(lone[1], other[0], threshold)
    # First and last name swapped in one of the records.
    return _alike(a[1], b[0], threshold) and _alike(a[0], b[1], threshold)


def count_people(records: Iterable[Mapping[str, Any]], surname_similarity: float) -> int:
    """How many people the records look like at least: the larger of distinct birth dates and
    groups of alike surnames (single linkage, so the count does not depend on record order)."""
    dates: set[str] = set()
    names: set[_Name] = set()
    for attrs in records:
        if attrs.get("birth_date"):
            dates.add(str(attrs["birth_date"]))
        name = _name(attrs)
        if name is not None:
            names.add(name)
    ordered = sorted(names)
    parent = list(range(len(ordered)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if find(i) != find(j) and _same_name(a, ordered[j], surname_similarity):
                parent[find(j)] = find(i)
    groups = len({find(i) for i in range(len(ordered))})
    return max(len(dates), groups)


def verdict(rules: MatchRules, kind: str, degree: int, sharers: Sequence[Mapping[str, Any]]) -> bool:
    if not rules.enforce_caps:
        return False
    if degree > rules.kinds[kind].cap:
        return True
    if degree < 2:
        return False
    return rules.holds_out(kind, degree, count_people(sharers, rules.people.surname_similarity))


def assess_facts(facts: evidence.Evidence, rules: MatchRules) -> list[Verdict]:
    """Every strong identifier of a full rebuild's facts (which hold every sharer)."""
    strong = set(rules.strong)
    sharers: dict[str, list[int]] = defaultdict(list)
    info: dict[str, tuple[str, int, bool]] = {}
    for i, record in enumerate(facts.records):
        for key, kind, degree, held in record.ids:
            if kind in strong:
                sharers[key].append(i)
                info[key] = (kind, degree, held)
    verdicts = []
    for key in sorted(info):
        kind, degree, held = info[key]
        attrs = [facts.records[i].attrs for i in sharers[key]]
        verdicts.append((key, kind, degree, verdict(rules, kind, degree, attrs), held))
    return verdicts


def assess_records(graph: Graph, rules: MatchRules, uids: Sequence[str]) -> list[Verdict]:
    """The strong identifiers of these records, judged on everybody who shares them."""
    # Past the cap the verdict needs no names: those sharers are not read at all.
    limits = {kind: (rules.kinds[kind].cap if rules.enforce_caps else 0) for kind in rules.strong}
    found: dict[str, Verdict] = {}
    for part in evidence.chunks(sorted(uids)):
        rows = graph.read("resolve_identifier_sharers", uids=part, kinds=rules.strong, limits=limits)
        for row in rows[0]["identifiers"]:
            held = verdict(rules, row["kind"], row["degree"], row["records"])
            found[row["key"]] = (row["key"], row["kind"], row["degree"], held, bool(row["held"]))
    return [found[key] for key in sorted(found)]


def changes(verdicts: Sequence[Verdict]) -> list[dict[str, Any]]:
    """Marks to store (with the profiles, at the end of the run): verdicts that differ from the graph."""
    return [{"key": key, "held_out": now} for key, _, _, now, stored in verdicts if now != stored]


def held_keys(facts: evidence.Evidence, verdicts: Sequence[Verdict]) -> set[str]:
    """Keys held out among the facts: this run's verdicts, else what the graph holds."""
    fresh = {key: now for key, _, _, now, _ in verdicts}
    return {key for record in facts.records for key, _, _, stored in record.ids if fresh.get(key, stored)}
