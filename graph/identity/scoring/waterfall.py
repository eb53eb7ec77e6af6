"""Why a pair scored as it did: the prior, then each comparison's level and match weight.

The edge keeps each comparison's level (gamma) and weight; the labels come from the model
version that scored it, so an old link is explained by the model that made it.
"""

from typing import Any

from graph.connection import Graph
from graph.identity.scoring import store

__all__ = ["pair", "steps"]


def _label(comparison: dict[str, Any], gamma: int) -> str:
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    if gamma < 0:
        return "missing"
    # Splink numbers the non-null levels from n-1 (the first, strongest) down to 0 ('else').
    index = len(levels) - 1 - gamma
    return (
        str(levels[index].get("label_for_charts", f"level {gamma}")) if 0 <= index < len(levels) else f"level {gamma}"
    )


def steps(model: dict[str, Any], gammas: list[int], weights: list[float]) -> list[dict[str, Any]]:
    from math import log2

    p = float(model["probability_two_random_records_match"])
    out: list[dict[str, Any]] = [
        {"comparison": "prior", "level": "two random records", "weight": round(log2(p / (1 - p)), 4)}
    ]
    for comparison, gamma, weight in zip(model["comparisons"], gammas, weights, strict=True):
        out.append(
            {
                "comparison": comparison["output_column_name"],
                "level": _label(comparison, gamma),
                "gamma": gamma,
                "weight": round(weight, 4),
            }
        )
    return out


def pair(graph: Graph, uid_a: str, uid_b: str) -> dict[str, Any] | None:
    """The score of two records with its waterfall, or None when the pair was not scored."""
    rows = graph.read("scoring_pair", a=uid_a, b=uid_b)
    if not rows:
        return None
    row = rows[0]
    model = store.models(graph, [row["model_version"]]).get(row["model_version"])
    return {
        "scored": "link" if row["type"] == "SCORED_LINK" else "possible_match",
        "probability": row["probability"],
        "weight": row["weight"],
        "model_version": row["model_version"],
        "waterfall": steps(model, row["gammas"], row["weights"]) if model is not None else [],
    }
