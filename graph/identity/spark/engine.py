"""`c360 resolve --full --engine spark`: the full rebuild's partition on Spark, the rest in-process.

The rebuild runs exactly as graph/identity/resolve.py's (lease, journal, derived keys, stable
ids, golden values, history, households, pending cleared last); `SparkEngine` only replaces
the scoring of pending records (Splink on Spark) and the partition (spark/partition.py).
"""

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.connection import Graph
from graph.identity import evidence, people
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.resolve import ResolveReport, resolve
from graph.identity.rules import MatchRules
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.score import ScoreReport
from graph.identity.spark.export import write_records
from graph.identity.spark.partition import partition
from graph.identity.spark.session import SparkUnavailable

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkEngine", "SparkUnavailable", "resolve_full_spark"]


class SparkEngine:
    """Partition and scoring of a full rebuild on an existing SparkSession."""

    def __init__(self, spark: "SparkSession", workdir: Path) -> None:
        self.spark = spark
        self.workdir = workdir
        self.stats: dict[str, Any] = {}

    def score(self, graph: Graph, rules: ScoringRules, uids: list[str]) -> ScoreReport:
        if not uids:
            return ScoreReport()
        from graph.identity.spark.scoring import score_all

        return score_all(self.spark, graph, rules)

    def partition(
        self, graph: Graph, rules: MatchRules, facts: evidence.Evidence
    ) -> tuple[list[people.Verdict], list[list[int]]]:
        run = Path(tempfile.mkdtemp(prefix="resolve-", dir=self.workdir))
        try:
            started = time.perf_counter()
            write_records(facts, rules, run / "records")
            exported = time.perf_counter()
            fuzzy = [(i, j) for i, j, _ in fuzzy_pairs(facts.records, rules)] if rules.blocks else []
            result = partition(self.spark, run, rules, fuzzy)
            self.stats = result.stats | {
                "export_seconds": round(exported - started, 3),
                "spark_seconds": round(time.perf_counter() - exported, 3),
            }
            return result.verdicts, result.clusters
        finally:
            shutil.rmtree(run, ignore_errors=True)


def resolve_full_spark(
    graph: Graph, rules: MatchRules, spark: "SparkSession", workdir: Path, *, by: str = "resolver"
) -> ResolveReport:
    """A full rebuild with its partition computed on `spark` (see SparkEngine)."""
    workdir.mkdir(parents=True, exist_ok=True)
    engine = SparkEngine(spark, workdir)
    report = resolve(graph, rules, full=True, by=by, engine=engine)
    report.timings.update({f"spark_{k}": v for k, v in engine.stats.items() if k.endswith("seconds")})
    report.scoring.setdefault("engine", "spark")
    report.scoring["spark"] = {k: v for k, v in engine.stats.items() if not k.endswith("seconds")}
    return report
