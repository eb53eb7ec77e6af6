"""Score candidate pairs and store the outcome as edges between records.

Incremental (inside every `resolve`): the pending records against every record sharing a
blocking key with them. Full (`c360 match score --full`): every blocked pair. A pair's score
depends only on the two records and the model, and a candidate shares a blocking key exactly
when Splink's blocking would pair the two, so both ways give the same edges.

From `link_threshold` up a pair becomes `SCORED_LINK` (evidence for resolution); from
`review_threshold` up a `POSSIBLE_MATCH` (the review queue). Both carry probability, match
weight, the level and weight of each comparison, and the model version.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graph.connection import Graph
from graph.identity.evidence import chunks
from graph.identity.scoring import store
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.table import frame
from graph.identity.scoring.train import all_rows

if TYPE_CHECKING:
    from graph.identity.scoring.engine import Pair

Predict = Callable[[dict[str, Any], Any, float], "list[Pair]"]
"""(the stored model's Splink settings, the records' table, the lowest probability kept) -> pairs."""

__all__ = ["Predict", "ScoreReport", "score_all", "score_records"]

_SLICE = 10_000


@dataclass
class ScoreReport:
    model_version: str | None = None
    records: int = 0
    pairs: int = 0
    links: int = 0
    reviews: int = 0
    skipped: str | None = None  # why nothing was scored
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _usable(graph: Graph, rules: ScoringRules, report: ScoreReport) -> store.Model | None:
    model = store.active(graph)
    if model is None:
        report.skipped = "no trained model (c360 match train)"
        return None
    if model.definition != store.definition(rules):
        # Blocking or comparisons changed since training: the model no longer fits the rules.
        report.skipped = f"model {model.version} was trained for other comparisons or blocking; retrain"
        return None
    report.model_version = model.version
    return model


def _rows(graph: Graph, rules: ScoringRules, uids: list[str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rows, degrees = [], {}
    for part in chunks(uids):
        for row in graph.read(
            "scoring_records", uids=part, kinds=rules.identifier_columns, block_kinds=list(rules.block_kinds)
        ):
            attrs = {k: v for k, v in row["attrs"].items() if v is not None}
            identifiers = {kind: value for kind, value in sorted(row["ids"], reverse=True)}
            degrees.update(dict(row["blocks"]))
            if attrs or identifiers:
                rows.append({"uid": row["uid"], "attrs": attrs, "identifiers": identifiers})
    return rows, degrees


def _write(graph: Graph, rules: ScoringRules, version: str, pairs: list["Pair"], report: ScoreReport) -> None:
    now = datetime.now(UTC)
    reviews = [_row(p) for p in pairs if p.probability < rules.link_threshold]
    links = [_row(p) for p in pairs if p.probability >= rules.link_threshold]
    for start in range(0, len(links), _SLICE):
        graph.write("scoring_write_links", rows=links[start : start + _SLICE], version=version, now=now)
    for start in range(0, len(reviews), _SLICE):
        graph.write("scoring_write_reviews", rows=reviews[start : start + _SLICE], version=version, now=now)
    report.pairs, report.links, report.reviews = len(pairs), len(links), len(reviews)


def _row(pair: "Pair") -> dict[str, Any]:
    return {
        "a": pair.a,
        "b": pair.b,
        "probability": pair.probability,
        "weight": pair.weight,
        "gammas": pair.gammas,
        "weights": pair.weights,
    }


def score_records(graph: Graph, rules: ScoringRules, uids: Iterable[str]) -> ScoreReport:
    """Score these records against their blocking candidates (replacing their earlier scores)."""
    report = ScoreReport()
    seeds = sorted(set(uids))
    if not seeds:
        return report
    model = _usable(graph, rules, report)
    if model is None:
        return report
    started = time.perf_counter()
    candidates: set[str] = set(seeds)
    for part in chunks(seeds):
        row = graph.read(
            "scoring_candidates", uids=part, block_kinds=list(rules.block_kinds), max_block=rules.max_block
        )[0]
        candidates.update(row["others"])
    rows, degrees = _rows(graph, rules, sorted(candidates))
    report.records = len(rows)
    report.timings["read"] = round(time.perf_counter() - started, 4)
    pending = set(seeds)
    from graph.identity.scoring import engine  # Splink loads only when there is a model to run

    pairs = engine.predict(model.settings, frame(rules, rows, degrees), rules.review_threshold)
    # Pairs between two candidates were scored when the later of them arrived: same result.
    pairs = [p for p in pairs if p.a in pending or p.b in pending]
    report.timings["predict"] = round(time.perf_counter() - started - report.timings["read"], 4)
    for part in chunks(seeds):
        graph.write("scoring_clear_records", uids=part)
    _write(graph, rules, model.version, pairs, report)
    report.timings["total"] = round(time.perf_counter() - started, 4)
    return report


def score_all(graph: Graph, rules: ScoringRules, predict: "Predict | None" = None) -> ScoreReport:
    """Re-score every blocked pair from scratch. `predict` runs the model on the whole table
    (default: Splink on DuckDB, in process; the Spark engine passes its own)."""
    report = ScoreReport()
    model = _usable(graph, rules, report)
    if model is None:
        return report
    started = time.perf_counter()
    table = frame(rules, all_rows(graph, rules))
    report.records = len(table)
    report.timings["read"] = round(time.perf_counter() - started, 4)
    if predict is None:
        from graph.identity.scoring import engine  # Splink loads only when there is a model to run

        predict = engine.predict
    pairs = predict(model.settings, table, rules.review_threshold)
    report.timings["predict"] = round(time.perf_counter() - started - report.timings["read"], 4)
    while graph.write("scoring_clear_all", limit=_SLICE)[0]["deleted"]:
        pass
    _write(graph, rules, model.version, pairs, report)
    report.timings["total"] = round(time.perf_counter() - started, 4)
    return report
