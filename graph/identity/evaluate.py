"""Pairwise precision, recall and F1 of profiles against ground truth.

Counting pairs through the contingency table of (profile, true person) keeps this linear in
the number of records: a pair is predicted when both records share a profile, true when they
share a person, and correct when both.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from graph.identity.evidence import Evidence, Record
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.rules import MatchRules

__all__ = ["Scores", "errors", "score"]


@dataclass(frozen=True)
class Scores:
    records: int
    profiles: int
    persons: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """`predicted` and `truth` map record ids to cluster ids; only records in both are scored."""
    common = predicted.keys() & truth.keys()
    cells = Counter((predicted[r], truth[r]) for r in common)
    by_profile = Counter(predicted[r] for r in common)
    by_person = Counter(truth[r] for r in common)
    correct = sum(_pairs(n) for n in cells.values())
    predicted_pairs = sum(_pairs(n) for n in by_profile.values())
    true_pairs = sum(_pairs(n) for n in by_person.values())
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        len(common),
        len(by_profile),
        len(by_person),
        predicted_pairs,
        true_pairs,
        correct,
        round(precision, 6),
        round(recall, 6),
        round(f1, 6),
    )


def _why_missed(a: Record, b: Record, strong: set[str]) -> str:
    ids_a = {key: (kind, held) for key, kind, _, held in a.ids if kind in strong}
    shared = [ids_a[key] for key, _, _, _ in b.ids if key in ids_a]
    if b.uid in a.cannot:
        return "cannot_link"
    if not shared:
        return "no_shared_identifier"
    if all(held for _, held in shared):
        return "identifier_held_out:" + ",".join(sorted({kind for kind, _ in shared}))
    return "cut_by_cannot_link"


def errors(
    facts: Evidence, rules: MatchRules, predicted: Mapping[str, str], truth: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Where the pairwise errors come from.

    `missed`: pairs of one person's records in different profiles, by what they lacked: no
    shared strong identifier at all, only identifiers held out (by kind), a steward cannot-link
    between them, or a cannot-link cut elsewhere in their component. `false_merges`: pairs of
    different people's records in one profile, by the kind of link that crosses from one
    person's records to another's in that profile (identifier kind, `steward`, `scored`,
    `fuzzy:blockN`);
    a profile joined by several kinds counts its false pairs under each.
    """
    strong = set(rules.strong)
    records = [r for r in facts.records if r.uid in truth and r.uid in predicted]
    missed: Counter[str] = Counter()
    by_person: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_person[truth[record.uid]].append(record)
    for members in by_person.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if predicted[a.uid] != predicted[b.uid]:
                    missed[_why_missed(a, b, strong)] += 1
    crossing: dict[str, set[str]] = defaultdict(set)  # profile -> link kinds between its people
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)  # (profile, identifier) -> people
    for record in records:
        pid = predicted[record.uid]
        for key, kind, _, held in record.ids:
            if kind in strong and not held:
                owners[(pid, key)].add(truth[record.uid])
        for kind, others in (("steward", record.same), ("scored", record.scored)):
            for other in others:
                if other in truth and predicted.get(other) == pid and truth[other] != truth[record.uid]:
                    crossing[pid].add(kind)
    for (pid, key), people in owners.items():
        if len(people) > 1:
            crossing[pid].add(key.split(":", 1)[0])
    for i, j, kind in fuzzy_pairs(records, rules):
        a, b = records[i], records[j]
        if predicted[a.uid] == predicted[b.uid] and truth[a.uid] != truth[b.uid]:
            crossing[predicted[a.uid]].add(f"fuzzy:{kind}")
    sizes = Counter(predicted[r.uid] for r in records)
    false_by_profile = Counter({pid: _pairs(n) for pid, n in sizes.items()})
    for (pid, _), n in Counter((predicted[r.uid], truth[r.uid]) for r in records).items():
        false_by_profile[pid] -= _pairs(n)
    merges: Counter[str] = Counter()
    for pid, wrong in false_by_profile.items():
        if wrong:
            for kind in crossing.get(pid) or {"unexplained"}:
                merges[kind] += wrong
    return {"missed": dict(sorted(missed.items())), "false_merges": dict(sorted(merges.items()))}
