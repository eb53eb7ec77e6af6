"""Pairwise precision, recall and F1 of profiles against ground truth.

Counting pairs through the contingency table of (profile, true person) keeps this linear in
the number of records: a pair is predicted when both records share a profile, true when they
share a person, and correct when both.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass

__all__ = ["Scores", "score"]


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
