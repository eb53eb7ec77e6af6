"""Several files in one load share one writer (a file's last batch is written while the next
file is read): batches still hold one file's rows, land in file order, and a failed write
still fails the load."""

from pathlib import Path

import neo4j
import pytest

from graph.connection import Graph
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine


def _files(tmp_path: Path) -> list[Path]:
    header = "source_id,first_name,email\n"
    first = tmp_path / "first.csv"
    first.write_text(header + "1,Ann,ann@x.org\n2,Bob,bob@x.org\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(header + "1,Anne,anne@x.org\n3,Cy,cy@x.org\n", encoding="utf-8")
    return [first, second]


def test_files_are_written_in_order_one_batch_each(graph: Graph, tmp_path: Path) -> None:
    before = graph.round_trips
    with Quarantine(tmp_path / "q.jsonl") as quarantine:
        summary = load(graph, plan(_files(tmp_path), "customers", None), quarantine, LoadOptions(batch_size=100))
    # One transaction per file: the second file's rows never join the first file's batch.
    assert graph.round_trips - before == 2
    assert (summary.rows_read, summary.rows_loaded, summary.entities["Customer"]) == (4, 4, 4)
    assert summary.files == [str(p) for p in _files(tmp_path)]
    rows = graph.driver.execute_query(
        "MATCH (c:Customer) WHERE c.uid STARTS WITH 'customers:' "
        "OPTIONAL MATCH (c)-[:HAS_IDENTIFIER]->(i) "
        "RETURN c.uid AS uid, c.first_name AS name, c.source_file AS file, collect(i.key) AS keys ORDER BY uid",
        database_=graph.database,
    ).records
    # The second file's version of record 1 was written after the first's, as one file after another.
    assert [(r["uid"], r["name"], r["file"], r["keys"]) for r in rows] == [
        ("customers:1", "Anne", "second.csv", ["email:anne@x.org"]),
        ("customers:2", "Bob", "first.csv", ["email:bob@x.org"]),
        ("customers:3", "Cy", "second.csv", ["email:cy@x.org"]),
    ]


def test_a_failed_write_fails_the_load(graph: Graph, tmp_path: Path) -> None:
    # A database that does not exist: the first file's write fails while the second is read.
    broken = Graph(graph.driver, "no-such-database", graph.timeout)
    with Quarantine(tmp_path / "q.jsonl") as quarantine, pytest.raises(neo4j.exceptions.ClientError):
        load(broken, plan(_files(tmp_path), "customers", None), quarantine, LoadOptions(batch_size=100))
