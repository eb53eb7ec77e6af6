"""Splink on DuckDB, in process: train a model on a table, score the pairs of a table.

Nothing here touches Neo4j; the callers bring the table (table.frame) and store the results.
"""

import logging
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from splink import DuckDBAPI, Linker

from graph.identity.scoring.compile import blocking_rule, settings
from graph.identity.scoring.definition import ScoringRules

__all__ = ["Pair", "predict", "prior_weight", "train"]

# Splink reports its progress on INFO; c360 prints its own summaries.
logging.getLogger("splink").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    probability: float
    weight: float
    gammas: list[int]
    weights: list[float]  # per comparison, in the model's order: log2 of its Bayes factor


def _linker(table: pd.DataFrame, model: Any) -> Linker:
    return Linker(table, model, DuckDBAPI(), set_up_basic_logging=False)


def train(rules: ScoringRules, table: pd.DataFrame) -> dict[str, Any]:
    """Estimate the prior from near-certain rules, u by random sampling and m by EM."""
    linker = _linker(table, settings(rules))
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [blocking_rule(r) for r in rules.deterministic], recall=rules.deterministic_recall
    )
    training.estimate_u_using_random_sampling(max_pairs=rules.u_max_pairs, seed=rules.seed)
    for rule in rules.training_blocking:
        training.estimate_parameters_using_expectation_maximisation(blocking_rule(rule))
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return _regularize(model, rules.min_m)


def _regularize(model: dict[str, Any], min_m: float) -> dict[str, Any]:
    """Bounds the weights training data cannot support.

    A level never seen among matches would get m = 0, an infinitely negative weight: one typo
    would then veto any pair. Such m values are raised to `min_m`. A level never seen at all
    (no m or no u) gets m = u: weight 0, no evidence either way, rather than Splink's defaults.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is None or u is None:
                level["m_probability"] = level["u_probability"] = (
                    u if u is not None else (m if m is not None else min_m)
                )
            elif m < min_m:
                level["m_probability"] = min_m
    return model


def prior_weight(model: dict[str, Any]) -> float:
    p = float(model["probability_two_random_records_match"])
    return math.log2(p / (1 - p))


def predict(model: dict[str, Any], table: pd.DataFrame, threshold: float) -> list[Pair]:
    """Every blocked pair of `table` whose match probability is at least `threshold`."""
    if len(table) < 2:
        return []
    names = [c["output_column_name"] for c in model["comparisons"]]
    linker = _linker(table, model)
    scored = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    pairs = []
    for row in scored.itertuples(index=False):
        values = row._asdict()
        a, b = sorted((str(values["unique_id_l"]), str(values["unique_id_r"])))
        pairs.append(
            Pair(
                a,
                b,
                float(values["match_probability"]),
                float(values["match_weight"]),
                [int(values[f"gamma_{n}"]) for n in names],
                [round(math.log2(float(values[f"bf_{n}"])), 6) for n in names],
            )
        )
    return sorted(pairs, key=lambda p: (p.a, p.b))
