from graph.connection import Graph
from graph.identity import explain, load_rules, resolve
from tests.graph.identity.conftest import Loader, profile_of

RULES = load_rules()


def test_explain_gives_the_chain(graph: Graph, load_csv: Loader) -> None:
    load_csv(
        [
            {"source_id": "1", "email": "a@x.org"},
            {"source_id": "2", "email": "a@x.org", "phone": "+44 7911 123456"},
            {"source_id": "3", "phone": "+44 7911 123456"},
            {"source_id": "4", "email": "z@x.org"},
        ]
    )
    resolve(graph, load_rules())
    path = explain.link(graph, "crm:1", "crm:3", rules=RULES)
    assert [item["type"] for item in path] == ["record", "identifier", "record", "identifier", "record"]
    assert [item.get("key") for item in path if item["type"] == "identifier"] == [
        "email:a@x.org",
        "phone:+447911123456",
    ]
    assert explain.link(graph, "crm:1", "crm:4", rules=RULES) == []
    per_record = explain.profile(graph, profile_of(graph, "crm:1"), rules=RULES)
    assert [r["uid"] for r in per_record] == ["crm:1", "crm:2", "crm:3"]
    assert all(r["path"] for r in per_record)


def test_households_group_people_without_merging_them(graph: Graph, load_csv: Loader) -> None:
    home = {"street": "1 High St", "postcode": "LS1 1AA", "country": "GB", "last_name": "Smith"}
    load_csv(
        [
            {"source_id": "1", "email": "ann@x.org", "first_name": "Ann", **home},
            {"source_id": "2", "email": "bob@x.org", "first_name": "Bob", **home},
            {"source_id": "3", "email": "cy@x.org", "first_name": "Cy", **home, "last_name": "Jones"},
        ]
    )
    report = resolve(graph, load_rules())
    assert report.clusters == 3
    rows = graph.driver.execute_query(
        "MATCH (c:Customer)<-[:HAS_RECORD]-(p:Profile) OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h) "
        "RETURN c.uid AS uid, p.pid AS pid, h.hid AS hid ORDER BY uid",
        database_=graph.database,
    ).records
    assert len({r["pid"] for r in rows}) == 3
    assert rows[0]["hid"] == rows[1]["hid"] is not None
    assert rows[2]["hid"] != rows[0]["hid"]


def _households(graph: Graph) -> list[tuple[str, int]]:
    rows = graph.driver.execute_query(
        "MATCH (h:Household) RETURN h.hid AS hid, COUNT { (h)<-[:IN_HOUSEHOLD]-() } AS members ORDER BY hid",
        database_=graph.database,
    ).records
    return [(r["hid"], r["members"]) for r in rows]


def test_households_emptied_by_merges_and_moves_go_away(graph: Graph, load_csv: Loader) -> None:
    a = {"street": "1 High St", "postcode": "LS1 1AA", "country": "GB", "last_name": "Smith"}
    b = {"street": "9 Low Rd", "postcode": "M1 1AA", "country": "GB", "last_name": "Smith"}
    c = {"street": "5 Mill Ln", "postcode": "B1 1AA", "country": "GB", "last_name": "Smith"}
    load_csv(
        [
            {"source_id": "1", "email": "ann@x.org", "first_name": "Ann", **a},
            {"source_id": "2", "email": "bob@x.org", "first_name": "Bob", **b},
        ]
    )
    resolve(graph, load_rules())
    assert [members for _, members in _households(graph)] == [1, 1]
    # One person after all: the merged-away profile's household goes with it.
    load_csv(
        [
            {"source_id": "3", "email": "ann@x.org", "phone": "+44 7911 123456"},
            {"source_id": "4", "email": "bob@x.org", "phone": "+44 7911 123456"},
        ]
    )
    resolve(graph, load_rules())
    assert profile_of(graph, "crm:1") == profile_of(graph, "crm:2")
    assert [members for _, members in _households(graph)] == [1]
    # Cy moves in: the household the move leaves empty goes too.
    load_csv([{"source_id": "5", "email": "cy@x.org", "first_name": "Cy", **c}])
    resolve(graph, load_rules())
    assert [members for _, members in _households(graph)] == [1, 1]
    load_csv([{"source_id": "5", "email": "cy@x.org", "first_name": "Cy", **a}])
    resolve(graph, load_rules())
    assert [members for _, members in _households(graph)] == [2]
    # Without an address there is no evidence left: Cy leaves, then the last members do too.
    load_csv([{"source_id": "5", "email": "cy@x.org", "first_name": "Cy", "last_name": "Smith"}])
    resolve(graph, load_rules())
    assert [members for _, members in _households(graph)] == [1]
    load_csv(
        [
            {"source_id": "1", "email": "ann@x.org", "first_name": "Ann", "last_name": "Smith"},
            {"source_id": "2", "email": "bob@x.org", "first_name": "Bob", "last_name": "Smith"},
        ]
    )
    resolve(graph, load_rules())
    assert _households(graph) == []
