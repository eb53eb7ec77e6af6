"""A first build (no record has a profile) writes through graph/identity/first_build.py: the
graph it leaves must be the one the general writer leaves, property for property."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.changes import outbox
from graph.connection import Graph
from graph.identity import load_rules, rebuild
from graph.identity.lock import Lease
from graph.identity.report import ResolveReport
from tests.graph.identity.conftest import Loader, load_dir

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

_PROFILES = """
MATCH (p:Profile)
OPTIONAL MATCH (p)-[h:HAS_RECORD]->(c:Customer)
WITH p, c, h ORDER BY c.uid
RETURN p.pid AS pid, properties(p) AS props, collect([c.uid, toString(h.since)]) AS records
ORDER BY pid
"""
_EVENTS = """
MATCH (e:ChangeEvent) WHERE e.position > $after
RETURN e.type AS type, e.profile_id AS pid, e.profile_ids AS pids, e.fields AS fields, e.data AS data,
       toString(e.at) AS at
ORDER BY e.position
"""
_HISTORY = """
MATCH (p:Profile)-[:HAS_EVENT]->(e:ResolutionEvent)
RETURN p.pid AS pid, e.kind AS kind, e.records AS records, e.from_pids AS from_pids ORDER BY pid, kind
"""
_HELD = "MATCH (i:Identifier) WHERE i.held_out IS NOT NULL RETURN i.key AS key, i.held_out AS held ORDER BY key"
_UNRESOLVE = "MATCH (n) WHERE n:Profile OR n:ProfileAlias OR n:ResolutionEvent DETACH DELETE n"


def _query(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    records = graph.driver.execute_query(text, params, database_=graph.database).records
    return [dict(r) for r in records]


def _build(graph: Graph, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[ResolveReport, dict[str, Any], set[str]]:
    monkeypatch.setattr(rebuild, "FAST_FIRST_BUILD", fast)
    head = outbox.head(graph)
    with Lease.take(graph, "full") as lease:
        report = rebuild.rebuild(lease.graph, load_rules(), NOW, by="test", prefix="P-", token=lease.owner)
        ran = {name for name, calls in lease.graph.statements.items() if calls}
    state = {
        "profiles": _query(graph, _PROFILES),
        "events": _query(graph, _EVENTS, after=head),
        "history": _query(graph, _HISTORY),
        "held": _query(graph, _HELD),
    }
    _query(graph, _UNRESOLVE)
    _query(graph, "MATCH (i:Identifier) REMOVE i.held_out")
    return report, state, ran


def test_first_build_leaves_the_general_writers_graph(
    graph: Graph, sample: Path, tmp_path: Path, load_csv: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dir(graph, sample, tmp_path / "q.jsonl")
    # A conflict (two birth dates chained through a record without one; an identifier shared by
    # two birth dates directly is held out) and a record with a name but no other fact.
    ann = {"first_name": "Ann", "last_name": "Ray"}
    load_csv(
        [
            ann | {"source_id": "X1", "email": "ann@x.org", "birth_date": "1980-01-02"},
            ann | {"source_id": "X2", "email": "ann@x.org", "phone": "+44 7911 123456"},
            ann | {"source_id": "X3", "phone": "+44 7911 123456", "birth_date": "1981-03-04"},
            {"source_id": "X4", "first_name": "Solo"},
        ]
    )
    fast_report, fast, fast_ran = _build(graph, True, monkeypatch)
    general_report, general, general_ran = _build(graph, False, monkeypatch)

    # Writes run as the lease's fenced transactions; the reads say which writer ran.
    assert "rebuild_new_facts" in fast_ran and "resolve_record_facts" not in fast_ran
    assert "resolve_record_facts" in general_ran and "rebuild_new_facts" not in general_ran
    assert len(fast["profiles"]) == fast_report.clusters > 500
    assert fast_report.conflicts >= 1 and any(p["props"].get("conflicts") for p in fast["profiles"])
    assert sum(len(p["records"]) for p in fast["profiles"]) == fast_report.records
    assert [e["type"] for e in fast["events"]] == ["profile.created"] * fast_report.clusters
    assert fast["held"], "the sample's junk phone is held out"
    for name in ("records", "clusters", "written", "created", "merges", "splits", "conflicts", "held_out"):
        assert getattr(fast_report, name) == getattr(general_report, name), name
    assert fast == general
