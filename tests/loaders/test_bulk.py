"""`c360 load --bulk`: the offline importer leaves the graph an online load leaves.

The equivalence test loads the same generated data twice: online into the test server, with
batches that each hold a whole file (the bulk path's unit), and through the fold and
`neo4j-admin database import full` into a second managed server. Both graphs are then read back
whole and compared property by property, except the load's own clock (ingested_at, loaded_at,
and the first_seen a statement takes from it). The bulk side also imports the records' derived
keys, so the online side runs the first step of a full resolve (which derives them) before the
comparison.
"""

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from c360.cli import app
from c360.runtime import managed_server
from c360.settings import Settings
from graph import stats
from graph.connection import Graph
from graph.identity import load_rules, rebuild
from graph.server import ManagedNeo4j
from loaders import mapper_pool
from loaders.bulk import prepare
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from loaders.sample import generate

PORTS = (
    int(os.environ.get("C360_TEST_SPARE_BOLT_PORT", "7689")),
    int(os.environ.get("C360_TEST_SPARE_HTTP_PORT", "7476")),
)
NODES = "MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS props"
RELS = (
    "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.uid, a.key) AS a, coalesce(b.uid, b.key) AS b, "
    "properties(r) AS props"
)
CLOCK = {"ingested_at", "loaded_at"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(120, 7, out)
    # Versions of one record across and within files, a reference that arrives before its record,
    # and a dropped identifier: the cases where a load's order matters.
    (out / "extra.csv").write_text(
        "source_id,first_name,last_name,email,phone,updated_at\n"
        "V1,Ann,Old,ann.old@example.com,,2024-01-01T00:00:00Z\n"
        "V1,Ann,New,ann.new@example.com,+44 7911 123456,2024-03-01T00:00:00Z\n"
        "V1,Ann,Stale,ann.stale@example.com,,2023-01-01T00:00:00Z\n",
        encoding="utf-8",
    )
    (out / "extra2.csv").write_text(
        "source_id,first_name,last_name,email,phone,updated_at\nV1,Ann,Newest,,+44 7911 123456,2024-04-01T00:00:00Z\n",
        encoding="utf-8",
    )
    return out


def _files(sample: Path) -> list[Any]:
    planned = plan([sample], None, None)
    mapping = "customers"
    extra = plan([sample / "extra.csv", sample / "extra2.csv"], mapping, "crm")
    return [*planned, *extra]


def _value(value: Any, since: datetime) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime) and value >= since:
        return "<clock>"
    return value.isoformat() if hasattr(value, "isoformat") else value


def _dump(session: Any, since: datetime) -> tuple[list[Any], list[Any]]:
    def clean(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted((k, _value(v, since)) for k, v in props.items() if k not in CLOCK))

    nodes = sorted((r["label"], clean(r["props"])) for r in session.run(NODES))
    rels = sorted((r["type"], r["a"], r["b"], clean(r["props"])) for r in session.run(RELS))
    return nodes, rels


@pytest.fixture(scope="module")
def spare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedNeo4j]:
    home = tmp_path_factory.mktemp("bulkhome")
    settings = Settings(
        home=home, neo4j_bolt_port=PORTS[0], neo4j_http_port=PORTS[1], neo4j_heap="512m", neo4j_pagecache="256m"
    )
    server = managed_server(settings)
    yield server
    server.stop()


def test_bulk_import_equals_an_online_load(graph: Graph, spare: ManagedNeo4j, sample: Path, tmp_path: Path) -> None:
    since = datetime.now(UTC)
    files = _files(sample)
    rules = load_rules()
    with Quarantine(tmp_path / "online.jsonl") as quarantine:
        online = load(graph, files, quarantine, LoadOptions(batch_size=1_000_000))
    # A full resolve's own first step: claim every record and write its derived keys. The claim
    # is then undone, so only the derived keys differ from the load.
    index = rebuild.index_records(graph, rules, datetime.now(UTC), "full:test")
    graph.driver.execute_query(
        "MATCH (c:Customer {pending: 'full:test'}) SET c.pending = true", database_=graph.database
    )
    with Quarantine(tmp_path / "bulk.jsonl") as quarantine:
        summary, imported = prepare(files, quarantine, LoadOptions(), tmp_path / "csv", rules=rules)
    assert summary.rows_read == online.rows_read and summary.rows_loaded == online.rows_loaded
    assert summary.rows_quarantined == online.rows_quarantined > 0  # the sample's bad rows
    spare.stop()
    spare.import_full(imported.nodes, imported.relationships)
    spare.start()
    with neo4j.GraphDatabase.driver(spare.uri, auth=(spare.user, spare.password())) as driver:
        with driver.session() as session:
            bulk_nodes, bulk_rels = _dump(session, since)
    with graph.driver.session(database=graph.database) as session:
        online_nodes, online_rels = _dump(session, since)
    assert len(bulk_nodes) == imported.node_count and len(bulk_rels) == imported.relationship_count
    assert {label for label, _ in bulk_nodes} >= {"Customer", "Identifier", "Touchpoint", "Organization"}
    derived = [rel for rel in bulk_rels if rel[0] == "HAS_IDENTIFIER" and ("source", "derived") in rel[3]]
    assert len(derived) >= len(index.uids) // 2  # most records have a name, so a derived key
    assert bulk_nodes == online_nodes
    assert bulk_rels == online_rels


def test_two_mapping_workers_prepare_the_same_files_and_quarantine_as_one(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny chunks: many tasks in flight at once, finishing in any order, across file boundaries.
    monkeypatch.setattr(mapper_pool, "CHUNK_ROWS", 7)
    files = _files(sample)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    results = []
    for workers in (1, 2):
        with Quarantine(tmp_path / f"q{workers}.jsonl") as quarantine:
            options = LoadOptions(workers=workers)
            summary, imported = prepare(files, quarantine, options, tmp_path / f"csv{workers}", now=now)
        written = {path.name: path.read_bytes() for _, path in [*imported.nodes, *imported.relationships]}
        lines = (tmp_path / f"q{workers}.jsonl").read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) | {"at": None} for line in lines]  # `at` is the wall clock
        results.append((summary.as_dict() | {"seconds": None, "rows_per_second": None}, written, entries))
    assert results[1] == results[0]
    summary_dict, written, entries = results[0]
    assert len(written) >= 8 and all(written.values())
    assert {entry["kind"] for entry in entries} == {"row", "field"}  # bad rows and bad values, with reasons
    assert all(entry["reasons"] for entry in entries)


def test_load_bulk_refuses_a_non_empty_database_and_a_given_server(
    graph: Graph, settings: Settings, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph.driver.execute_query("CREATE (:Customer {uid: 'crm:X'})", database_=graph.database)
    env = {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["load", str(sample / "extra.csv"), "-m", "customers", "--bulk"])
    assert result.exit_code == 2 and "empty database" in result.output, result.output
    assert stats.counts(graph)["nodes"]["Customer"] == 1  # nothing was touched
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = CliRunner().invoke(app, ["load", str(sample / "extra.csv"), "-m", "customers", "--bulk"])
    assert result.exit_code == 2 and "managed Neo4j" in result.output, result.output
