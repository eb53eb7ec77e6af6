from datetime import UTC, datetime

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
    assert graph.read("search_index_consistent") == [{"consistent": False}]


def test_schema_apply_makes_an_old_consistent_search_index_eventually_consistent(graph: Graph) -> None:
    """A database whose full-text index updates inside every commit (as created before) gets it
    rebuilt eventually consistent, and search still finds a record written just before."""

    def run(text: str) -> None:
        graph.driver.execute_query(text, database_=graph.database)

    run("DROP INDEX search_text")
    run(
        "CREATE FULLTEXT INDEX search_text FOR (n:Customer|Organization|Identifier) "
        "ON EACH [n.full_name, n.first_name, n.last_name, n.name, n.value]"
    )
    assert graph.read("search_index_consistent") == [{"consistent": True}]
    schema.apply(graph)
    assert graph.read("search_index_consistent") == [{"consistent": False}]
    rows: list[dict[str, object]] = [
        {
            "uid": "t:1",
            "source": "t",
            "source_id": "1",
            "props": {"first_name": "Zebedee", "last_name": "Quarrington"},
            "identifiers": [],
            "updated_at": None,
            "row_hash": "h",
        }
    ]
    graph.write_many(
        [
            ("merge_customers", {"rows": rows, "now": None}),
            ("resolve_upsert_profiles", {"rows": [{"pid": "P-1", "props": {}}], "now": None, "due": False}),
            ("resolve_assign_records", {"rows": [{"uid": "t:1", "pid": "P-1"}], "now": None}),
        ]
    )
    found = graph.read(
        "api_search_profiles",
        lucene="quarrington",
        keys=[],
        hits=10,
        see_restricted=True,
        only=None,
        offset=0,
        limit=10,
    )
    assert found[0]["total"] == 1 and found[0]["profiles"][0]["pid"] == "P-1"


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


def test_forget_bookmarks_starts_a_new_causal_chain(graph: Graph) -> None:
    # After an offline import the old chain names transactions the new store never had.
    graph.write("identity_lock", now=datetime.now(UTC))
    old = graph.bookmarks
    assert old is not None and old.get_bookmarks()
    graph.forget_bookmarks()
    new = graph.bookmarks
    assert new is not None and new is not old and not new.get_bookmarks()
    graph.write("identity_lock", now=datetime.now(UTC))
    assert new.get_bookmarks() and set(new.get_bookmarks()) != set(old.get_bookmarks())
