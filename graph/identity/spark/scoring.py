"""Scored links with Splink's Spark backend: the stored MatchModel, every blocked pair, on Spark.

A full rebuild on Spark re-scores every candidate pair (a pair's score depends on the two records
and the model only, so this equals scoring the pending records against their candidates, see
graph/identity/scoring/score.py) and stores the edges the in-process scorer stores.
"""

import re
from typing import TYPE_CHECKING, Any

from graph.connection import Graph
from graph.identity.scoring import score
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.engine import Pair, pair_of

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["predict", "score_all", "spark_model"]

_QUOTED = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*_[lr])"')
_DUCKDB_JW = re.compile(r"\bjaro_winkler_similarity\(", re.IGNORECASE)


def spark_model(rules: ScoringRules, model: dict[str, Any]) -> dict[str, Any]:
    """The stored model in Spark SQL. The stored JSON holds DuckDB SQL (`jaro_winkler_similarity`),
    which Spark cannot run, so the comparisons are compiled again from the rules for Spark and
    take the stored model's trained m and u level by level (the rules and the model's definition
    match: score._usable checked it)."""
    from graph.identity.scoring.compile import settings

    compiled: dict[str, Any] = settings(rules).get_settings("spark").as_dict()  # type: ignore[no-untyped-call]
    for comparison in compiled["comparisons"]:
        for level in comparison["comparison_levels"]:
            # compile.py's hand-written levels quote columns the DuckDB way ("birth_date_l"), which
            # Spark SQL reads as string literals (the birth-date levels compared constant strings),
            # and name DuckDB's functions: Splink's Spark UDF for Jaro-Winkler is `jaro_winkler`.
            condition = _QUOTED.sub(r"`\1`", level["sql_condition"])
            level["sql_condition"] = _DUCKDB_JW.sub("jaro_winkler(", condition)
    compiled["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    for ours, trained in zip(compiled["comparisons"], model["comparisons"], strict=True):
        levels, stored = ours["comparison_levels"], trained["comparison_levels"]
        if ours["output_column_name"] != trained["output_column_name"] or len(levels) != len(stored):
            raise ValueError(f"the model's comparison {trained['output_column_name']} does not fit the rules")
        for level, known in zip(levels, stored, strict=True):
            for name in ("m_probability", "u_probability"):
                if name in known:
                    level[name] = known[name]
    return compiled


def predict(
    spark: "SparkSession", rules: ScoringRules, model: dict[str, Any], table: Any, threshold: float
) -> list[Pair]:
    """engine.predict's twin on Spark: every blocked pair of `table` (a pandas frame) at or above
    `threshold`."""
    from pyspark.sql.types import StringType, StructField, StructType
    from splink import Linker, SparkAPI

    if len(table) < 2:
        return []
    schema = StructType([StructField(str(c), StringType()) for c in table.columns])
    rows = [tuple(None if v is None else str(v) for v in row) for row in table.itertuples(index=False)]
    frame_ = spark.createDataFrame(rows, schema)
    settings = spark_model(rules, model)
    api = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
    linker = Linker(frame_, settings, api, set_up_basic_logging=False)  # type: ignore[arg-type]
    predicted = linker.inference.predict(threshold_match_probability=threshold)
    names = [c["output_column_name"] for c in model["comparisons"]]
    columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    columns += [f"{kind}_{n}" for n in names for kind in ("gamma", "bf")]
    # Rows, not toPandas(): pyspark 3.5's pandas conversion trips on its own distutils import.
    rows = predicted.as_spark_dataframe().select(*columns).collect()
    return sorted((pair_of(row.asDict(), names) for row in rows), key=lambda p: (p.a, p.b))


def score_all(spark: "SparkSession", graph: Graph, rules: ScoringRules) -> score.ScoreReport:
    """score.score_all with the prediction on Spark: clear every stored score, store the new ones."""

    def on_spark(model: dict[str, Any], table: Any, threshold: float) -> list[Pair]:
        return predict(spark, rules, model, table, threshold)

    return score.score_all(graph, rules, on_spark)
