"""`c360 match train`: read every record into DuckDB, estimate the model, store a new version."""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graph.connection import Graph
from graph.identity.scoring import store
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.table import frame

__all__ = ["TrainError", "TrainReport", "all_rows", "train", "train_if_needed"]

MIN_RECORDS = 50


class TrainError(ValueError):
    """Too little data to estimate a model from."""


@dataclass(frozen=True)
class TrainReport:
    version: str
    records: int
    seconds: float


def all_rows(graph: Graph, rules: ScoringRules) -> Iterator[dict[str, Any]]:
    """Every record as {uid, attrs, identifiers}; records with nothing the model compares are left out."""
    for row in graph.read("scoring_all_records", kinds=rules.identifier_columns):
        attrs = {k: v for k, v in row["attrs"].items() if v is not None}
        identifiers = {kind: value for kind, value in sorted(row["ids"], reverse=True)}  # smallest value wins
        if attrs or identifiers:
            yield {"uid": row["uid"], "attrs": attrs, "identifiers": identifiers}


def train(graph: Graph, rules: ScoringRules) -> TrainReport:
    started = time.perf_counter()
    table = frame(rules, all_rows(graph, rules))
    if len(table) < MIN_RECORDS:
        raise TrainError(f"{len(table)} records to learn from; a model needs at least {MIN_RECORDS}")
    from graph.identity.scoring import engine  # Splink loads only when training

    settings = engine.train(rules, table)
    version = store.save(graph, rules, settings, len(table))
    return TrainReport(version, len(table), round(time.perf_counter() - started, 3))


def train_if_needed(graph: Graph, rules: ScoringRules) -> TrainReport | None:
    """Train a model when no active one fits these rules and at least `auto_train_records`
    records are loaded; None when nothing was trained.

    Called by `c360 resolve` and `c360 up`, never on the real-time path: training reads every
    record and takes seconds to minutes, so events are only scored with the model in place.
    """
    if rules.auto_train_records <= 0:
        return None
    model = store.active(graph)
    if model is not None and model.definition == store.definition(rules):
        return None
    if graph.read("scoring_record_count")[0]["records"] < max(rules.auto_train_records, MIN_RECORDS):
        return None
    return train(graph, rules)
