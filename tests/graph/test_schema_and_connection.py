import neo4j
import pytest

from graph import schema, stats
from graph.connection import Graph


def test_schema_apply_is_idempotent_and_complete(graph: Graph) -> None:
    before = schema.describe(graph)
    assert schema.apply(graph) == schema.statements()
    after = schema.describe(graph)
    assert [r["name"] for r in after] == [r["name"] for r in before]
    names = {r["name"] for r in after}
    for constraint in (
        "customer_uid",
        "identifier_key",
        "organization_uid",
        "device_uid",
        "account_uid",
        "touchpoint_uid",
        "profile_pid",
        "household_hid",
    ):
        assert constraint in names
    assert all(r["state"] == "ONLINE" for r in after)
    fulltext = next(r for r in after if r["name"] == "search_text")
    assert fulltext["type"] == "FULLTEXT" and "Organization" in fulltext["labelsOrTypes"]


def test_write_many_is_one_transaction(graph: Graph) -> None:
    rows = [
        {
            "uid": "t:1",
            "source": "t",
            "source_id": "1",
            "props": {},
            "identifiers": [],
            "updated_at": None,
            "row_hash": "h",
        }
    ]
    with pytest.raises(neo4j.exceptions.Neo4jError):
        graph.write_many(
            [
                ("merge_customers", {"rows": rows, "now": None}),
                ("merge_touchpoints", {"rows": [{"uid": None}], "now": None}),
            ]
        )
    assert stats.counts(graph)["nodes"] == {}


def test_round_trips_and_statements_are_counted(graph: Graph) -> None:
    before = graph.round_trips
    assert stats.is_empty(graph)
    assert graph.round_trips == before + 1
    assert graph.statements["is_empty"] >= 1
