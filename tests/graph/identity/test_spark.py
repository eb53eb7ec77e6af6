"""Full rebuild on Spark (local mode, pyspark from PyPI): same partition and ids as in-process."""

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from graph import stats
from graph.connection import Graph
from graph.identity import invariants, load_rules, resolve, steward
from graph.identity.scoring import engine, store
from graph.identity.scoring.table import frame
from graph.identity.scoring.train import all_rows
from graph.identity.spark import resolve_full_spark
from graph.identity.spark.scoring import predict
from graph.identity.spark.session import session
from tests.graph.identity.conftest import load_dir, partition
from tests.graph.identity.scoring_fixtures import RULES, SCORING, trained

# py4j leaves the sockets of collect() to the garbage collector (pyspark 3.5): not this code's leak.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    # One session for the module: starting the JVM is the slow part.
    spark = session("local[2]", tmp_path_factory.mktemp("spark"), shuffle_partitions=4)
    yield spark
    spark.stop()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()  # py4j's sockets go here, not in a later module's test


def _ids(graph: Graph) -> dict[str, str]:
    rows = graph.driver.execute_query(
        "MATCH (p:Profile)-[:HAS_RECORD]->(c:Customer) RETURN c.uid AS uid, p.pid AS pid", database_=graph.database
    ).records
    return {r["uid"]: r["pid"] for r in rows}


def test_spark_rebuild_equals_the_in_process_engine(
    graph: Graph, sample: Path, tmp_path: Path, spark: SparkSession
) -> None:
    load_dir(graph, sample, tmp_path / "q.jsonl")
    rules = load_rules()
    first = resolve_full_spark(graph, rules, spark, tmp_path / "work")
    assert first.mode == "full" and first.created == first.clusters > 100
    assert any(key.startswith("phone:+442079460000") for key, _ in first.held_out)  # the call-centre phone
    assert first.scoring["spark"]["rounds"] >= 1
    assert not invariants.check(graph, rules)  # nothing pending, and the in-memory rebuild agrees
    ids = _ids(graph)
    # The in-process engine finds nothing to change: same partition, same ids, same held-out marks.
    again = resolve(graph, rules, full=True)
    assert (again.written, again.merges, again.splits) == (0, 0, 0)
    assert _ids(graph) == ids and again.held_out == first.held_out
    # A steward cannot-link inside a profile: the in-process engine cuts it, Spark cuts it alike.
    group = max(partition(graph), key=len)
    a, b = sorted(group)[:2]
    steward.unlink(graph, a, b, by="test", rules=rules)
    cut = _ids(graph)
    assert cut[a] != cut[b] and cut != ids
    rebuilt = resolve_full_spark(graph, rules, spark, tmp_path / "work")
    assert rebuilt.scoring["spark"]["cut_components"] == 1
    assert (rebuilt.written, rebuilt.merges, rebuilt.splits) == (0, 0, 0)
    assert _ids(graph) == cut


def test_scored_links_on_spark_equal_duckdb(graph: Graph, tmp_path: Path, spark: SparkSession) -> None:
    assert SCORING is not None
    stats.reset(graph)
    model: dict[str, Any] = trained(graph, tmp_path)
    table = frame(SCORING, all_rows(graph, SCORING))
    expected = engine.predict(model, table, SCORING.review_threshold)
    got = predict(spark, SCORING, model, table, SCORING.review_threshold)
    assert len(expected) > 100
    assert [(p.a, p.b, p.gammas) for p in got] == [(p.a, p.b, p.gammas) for p in expected]
    assert [round(p.probability, 9) for p in got] == [round(p.probability, 9) for p in expected]
    # A rebuild on Spark scores with Splink on Spark and links what the model links.
    report = resolve_full_spark(graph, RULES, spark, tmp_path / "work")
    links = sum(1 for p in expected if p.probability >= SCORING.link_threshold)
    assert report.scoring["links"] == links > 0 and report.scoring["model_version"] == store.active(graph).version  # type: ignore[union-attr]
    assert not invariants.check(graph, RULES)
    before = _ids(graph)
    assert resolve(graph, RULES, full=True).written == 0 and _ids(graph) == before


def test_the_spark_model_speaks_spark_sql() -> None:
    # compile.py writes some levels by hand in DuckDB's SQL; a new one must not slip through.
    from graph.identity.scoring.compile import settings
    from graph.identity.spark.scoring import spark_model

    assert SCORING is not None
    duckdb = settings(SCORING).get_settings("duckdb").as_dict()  # type: ignore[no-untyped-call]
    for comparison in spark_model(SCORING, duckdb)["comparisons"]:
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"]
            assert '"' not in condition and "jaro_winkler_similarity" not in condition.lower(), condition
