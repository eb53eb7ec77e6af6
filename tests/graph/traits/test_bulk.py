"""The bulk refresh (after `c360 load --bulk`) leaves the graph the incremental refresh leaves:
the same traits, sentiment scores, segment membership, change-feed events and cleared marks."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph import segments, traits
from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.traits import TraitConfig, TraitModel
from graph.traits import model as stored
from graph.traits.bulk import refresh_imported
from loaders.sample import generate
from tests.graph.identity.conftest import load_dir

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def _query(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    records = graph.driver.execute_query(text, params, database_=graph.database).records
    return [dict(r) for r in records]


def _outcome(graph: Graph) -> dict[str, Any]:
    # Values as Cypher prints them: a time keeps its zone ("2024-01-01T00:00Z[UTC]" is not "...Z").
    profiles = _query(
        graph,
        "MATCH (p:Profile) RETURN p.pid AS pid, "
        "[k IN keys(p) WHERE k STARTS WITH 'trait_' AND k <> 'trait_refreshed_at' | [k, toString(p[k])]] AS props",
    )
    return {
        "traits": {r["pid"]: dict(r["props"]) for r in profiles},
        "sentiment": sorted(
            (r["uid"], r["score"], r["label"])
            for r in _query(
                graph,
                "MATCH (t:Touchpoint) WHERE t.sentiment_score IS NOT NULL "
                "RETURN t.uid AS uid, t.sentiment_score AS score, t.sentiment AS label",
            )
        ),
        "members": sorted(
            (r["segment"], r["pid"])
            for r in _query(
                graph, "MATCH (p:Profile)-[:IN_SEGMENT]->(s:Segment) RETURN s.name AS segment, p.pid AS pid"
            )
        ),
        "events": sorted(
            (r["type"], r["pid"], r["data"])  # data: JSON with sorted keys
            for r in _query(graph, "MATCH (e:ChangeEvent) RETURN e.type AS type, e.profile_id AS pid, e.data AS data")
        ),
        "pending": _query(
            graph,
            "MATCH (n) WHERE (n:Touchpoint OR n:Profile) AND n.traits_pending = true RETURN count(n) AS n",
        )[0]["n"],
    }


def _due_again(graph: Graph, keys: set[str]) -> None:
    """Back to the state the rebuild left: profiles due without traits, touchpoints pending
    and unscored, no membership, no events."""
    nulls = dict.fromkeys(keys)
    _query(graph, "MATCH (p:Profile) SET p += $nulls, p.traits_pending = true", nulls=nulls)
    _query(graph, "MATCH (t:Touchpoint) REMOVE t.sentiment_score, t.sentiment SET t.traits_pending = true")
    _query(graph, "MATCH (:Profile)-[m:IN_SEGMENT]->(:Segment) DELETE m")
    _query(graph, "MATCH (n) WHERE n:ChangeEvent OR n:SegmentChange DETACH DELETE n")


def test_the_bulk_refresh_gives_what_the_incremental_refresh_gives(graph: Graph, tmp_path: Path) -> None:
    generate(150, 5, tmp_path / "data")
    load_dir(graph, tmp_path / "data", tmp_path / "q.jsonl")
    stored.save(graph, TraitModel(config=TraitConfig(as_of=AS_OF)))  # one clock for both runs
    segments.save(graph, "buyers", {"where": {"trait": "order_count", "op": "gte", "value": 1}}, by="test")
    segments.save(graph, "happy", {"where": {"trait": "sentiment", "op": "eq", "value": "positive"}}, by="test")
    report = resolve(graph, load_rules(), full=True, traits=False)
    assert report.written > 100 and report.traits == 0  # the refresh is left to the caller
    _due_again(graph, set())  # every touchpoint pending, as the importer leaves them
    due = _outcome(graph)["pending"]
    assert due > report.written
    incremental = traits.refresh_pending(graph)
    expected = _outcome(graph)
    keys = {k for props in expected["traits"].values() for k in props} | {"trait_refreshed_at"}

    _due_again(graph, keys)
    assert _outcome(graph)["pending"] == due
    bulk = refresh_imported(graph, chunk=7)  # many chunks, and one that is not full
    got = _outcome(graph)

    assert bulk.profiles == incremental.profiles == len(expected["traits"])
    assert bulk.scored_texts == incremental.scored_texts > 0
    assert got["pending"] == expected["pending"] == 0
    assert {m[0] for m in expected["members"]} == {"buyers", "happy"}
    assert {e[0] for e in expected["events"]} >= {"profile.lifecycle_changed", "segment.entered"}
    assert any(props["trait_order_count"] != "0" for props in expected["traits"].values())
    assert any(props.get("trait_first_seen", "").endswith("[UTC]") for props in expected["traits"].values())
    assert got == expected
    assert set(bulk.timings) >= {"take", "read", "sentiment", "compute", "write"}


def test_a_bulk_refresh_with_nothing_due_does_nothing(graph: Graph) -> None:
    report = refresh_imported(graph)
    assert report.profiles == 0 and report.scored_texts == 0
