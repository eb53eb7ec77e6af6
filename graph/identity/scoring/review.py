"""The review queue: pairs in the grey zone wait for a steward, who accepts or rejects them.

Accept is a steward same-person link, reject a cannot-link (graph/identity/steward.py): both
hold through every later load, re-score and rebuild, and a decided pair never returns to the
queue.
"""

from dataclasses import dataclass
from typing import Any

from graph.connection import Graph
from graph.identity import steward
from graph.identity.rules import MatchRules

__all__ = ["ReviewItem", "accept", "count", "queue", "reject"]

MAX_PAGE = 500


@dataclass(frozen=True)
class ReviewItem:
    a: str
    b: str
    probability: float
    weight: float
    model_version: str
    gammas: list[int]
    weights: list[float]

    @property
    def position(self) -> tuple[float, str, str]:
        """Where the next page starts (pass as `after`)."""
        return (self.probability, self.a, self.b)


def queue(graph: Graph, *, first: int = 50, after: tuple[float, str, str] | None = None) -> list[ReviewItem]:
    """Open items, most likely match first."""
    if not 1 <= first <= MAX_PAGE:
        raise steward.StewardError(f"page size must be 1..{MAX_PAGE}")
    probability, a, b = after if after is not None else (2.0, "", "")
    rows = graph.read("review_queue", probability=probability, a=a, b=b, limit=first)
    return [
        ReviewItem(r["a"], r["b"], r["probability"], r["weight"], r["model_version"], r["gammas"], r["weights"])
        for r in rows
    ]


def count(graph: Graph) -> int:
    return int(graph.read("review_queue_count")[0]["open"])


def _open(graph: Graph, uid_a: str, uid_b: str) -> dict[str, Any]:
    rows = graph.read("scoring_pair", a=uid_a, b=uid_b)
    if not rows or rows[0]["type"] != "POSSIBLE_MATCH":
        raise steward.StewardError(f"{uid_a} and {uid_b} are not in the review queue")
    return rows[0]


def accept(graph: Graph, uid_a: str, uid_b: str, *, by: str, reason: str | None = None, rules: MatchRules) -> list[str]:
    """Same person: link the pair (a steward link). Returns the profile id(s) after."""
    _open(graph, uid_a, uid_b)
    pids = steward.link(graph, uid_a, uid_b, by=by, reason=reason or "review: accepted", rules=rules)
    graph.write("review_close", a=uid_a, b=uid_b)
    return pids


def reject(graph: Graph, uid_a: str, uid_b: str, *, by: str, reason: str | None = None, rules: MatchRules) -> list[str]:
    """Not the same person: a cannot-link, so no score or identifier joins them later."""
    _open(graph, uid_a, uid_b)
    pids = steward.unlink(graph, uid_a, uid_b, by=by, reason=reason or "review: rejected", rules=rules)
    graph.write("review_close", a=uid_a, b=uid_b)
    return pids
