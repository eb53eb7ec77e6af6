"""Splink on DuckDB, in process: train a model on a table, score the pairs of a table.

Nothing here touches Neo4j; the callers bring the table (table.frame) and store the results.

Scoring a handful of records (one real-time event) is dominated by Splink building its SQL
(sqlglot parses every comparison level on each call: ~0.4 s on a quiet machine, seconds on a
busy one), not by DuckDB. So the first predict of a model records the SQL statements Splink
runs, and later predicts of the same model replay them on a fresh DuckDB connection with the
new table in place of the old: the same statements, so the same pairs and probabilities
(a test compares the two), for a few tens of milliseconds.
"""

import hashlib
import json
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker

from graph.identity.scoring.compile import blocking_rule, settings
from graph.identity.scoring.definition import ScoringRules

__all__ = ["Pair", "pair_of", "predict", "prior_weight", "splink_predict", "train"]

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


def _linker(table: pd.DataFrame, model: Any, api: DuckDBAPI | None = None) -> Linker:
    return Linker(table, model, api or DuckDBAPI(), set_up_basic_logging=False)


class _Recorder(DuckDBAPI):
    """DuckDB as Splink uses it, keeping every statement Splink sends."""

    def __init__(self) -> None:
        super().__init__()
        self.statements: list[str] = []

    def _execute_sql_against_backend(self, final_sql: str) -> duckdb.DuckDBPyRelation:
        self.statements.append(final_sql)
        return super()._execute_sql_against_backend(final_sql)


@dataclass(frozen=True)
class _Plan:
    statements: list[str]  # without Splink's existence probes (PRAGMA table_info)
    result: str  # the table the predictions land in


_INPUT = "__splink__input_table_0"  # the name Splink registers its one input table under
_PLANS: "OrderedDict[tuple[str, float, tuple[str, ...]], _Plan]" = OrderedDict()
_PLANS_LOCK = threading.Lock()
_MAX_PLANS = 8


def _key(model: dict[str, Any], threshold: float, table: pd.DataFrame) -> tuple[str, float, tuple[str, ...]]:
    text = json.dumps(model, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest(), threshold, tuple(map(str, table.columns))


def _splink_frame(model: dict[str, Any], table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Splink's own predict; its statements are kept as the plan for this model."""
    recorder = _Recorder()
    linker = _linker(table, model, recorder)
    result = linker.inference.predict(threshold_match_probability=threshold)
    frame: pd.DataFrame = result.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    statements = [sql for sql in recorder.statements if not sql.lstrip().upper().startswith("PRAGMA")]
    with _PLANS_LOCK:
        _PLANS[_key(model, threshold, table)] = _Plan(statements, result.physical_name)
        while len(_PLANS) > _MAX_PLANS:
            _PLANS.popitem(last=False)
    return frame


def _replay(plan: _Plan, table: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        con.register(_INPUT, table)
        for sql in plan.statements:
            con.execute(sql)
        return con.execute(f"SELECT * FROM {plan.result}").df()
    finally:
        con.close()


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
    with _PLANS_LOCK:
        plan = _PLANS.get(_key(model, threshold, table))
    scored = _replay(plan, table) if plan is not None else _splink_frame(model, table, threshold)
    pairs = [pair_of(row._asdict(), names) for row in scored.itertuples(index=False)]
    return sorted(pairs, key=lambda p: (p.a, p.b))


def pair_of(values: dict[str, Any], names: list[str]) -> Pair:
    """One scored row of Splink's output (either backend) as a Pair: ids in order, probability,
    weight, and per comparison its level and log2 Bayes factor."""
    a, b = sorted((str(values["unique_id_l"]), str(values["unique_id_r"])))
    return Pair(
        a,
        b,
        float(values["match_probability"]),
        float(values["match_weight"]),
        [int(values[f"gamma_{n}"]) for n in names],
        [round(math.log2(float(values[f"bf_{n}"])), 6) for n in names],
    )


def splink_predict(model: dict[str, Any], table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Splink's own predict, with nothing cached (the bare library baseline, and the check)."""
    frame: pd.DataFrame = (
        _linker(table, model).inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    )
    return frame
