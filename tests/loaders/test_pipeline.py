import json
from pathlib import Path

from graph import stats
from graph.connection import Graph
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine

EVIL = "'}) MATCH (n) DETACH DELETE n //"


def run(graph: Graph, tmp_path: Path, path: Path, mapping: str | None = None) -> LoadSummary:
    with Quarantine(tmp_path / "quarantine.jsonl") as quarantine:
        return load(graph, plan([path], mapping, None), quarantine, LoadOptions(batch_size=2))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def node(graph: Graph, uid: str) -> dict:
    rows = graph.driver.execute_query("MATCH (n {uid: $uid}) RETURN n", uid=uid, database_=graph.database).records
    assert len(rows) == 1
    return dict(rows[0]["n"])


def test_good_rows_land_bad_rows_are_quarantined(graph: Graph, tmp_path: Path) -> None:
    people = write(
        tmp_path,
        "people.csv",
        "source_id,first_name,last_name,email,phone\n"
        "1,Ann,Smith,ann@x.org,+44 7911 123456\n"
        ",No,Key,nokey@x.org,\n"
        "2,Bob,Jones,not-an-email,\n"
        f'3,Cy,"{EVIL}",cy@x.org,\n'
        "4,too,many,fields,here,x\n",
    )
    summary = run(graph, tmp_path, people, "customers")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (5, 3, 2)
    assert summary.fields_rejected == 1 and summary.as_dict()["fields_rejected"] == 1
    assert stats.counts(graph)["nodes"]["Customer"] == 3
    entries = [json.loads(line) for line in (tmp_path / "quarantine.jsonl").read_text().splitlines()]
    assert [(e["line"], e["kind"]) for e in entries] == [(3, "row"), (4, "field"), (6, "row")]
    assert "missing id field 'source_id'" in entries[0]["reasons"][0]
    # Bob landed without the malformed email; the value and why are in the quarantine.
    assert (entries[1]["field"], entries[1]["value"]) == ("email", "not-an-email")
    assert "invalid email 'not-an-email'" in entries[1]["reasons"][0]
    assert entries[1]["raw"]["first_name"] == "Bob"
    assert node(graph, "customers:2")["first_name"] == "Bob" and "email" not in node(graph, "customers:2")
    assert "6 fields" in entries[2]["reasons"][0]
    assert node(graph, "customers:3")["last_name"] == EVIL


def test_impossible_birth_date_costs_the_value_not_the_record(graph: Graph, tmp_path: Path) -> None:
    mapping = write(
        tmp_path,
        "people.toml",
        'source = "ext"\n[[entities]]\nname = "person"\nkind = "person"\nid = "id"\n'
        'fields = { first_name = "first", last_name = "last", birth_date = "dob" }\n'
        'identifiers = { national_id = "nid" }\n',
    )
    people = write(
        tmp_path,
        "people.csv",
        "id,first,last,dob,nid\n1,Ann,Smith,1980-03-04,AB123456C\n2,Ann,Smith,1980-45-04,AB123456C\n"
        "3,Ann,Smith,1980-03-92,ab 12 34 56 c\n",
    )
    summary = run(graph, tmp_path, people, str(mapping))
    assert (summary.rows_loaded, summary.rows_quarantined, summary.fields_rejected) == (3, 0, 2)
    assert "birth_date" not in node(graph, "ext:2") and "birth_date" not in node(graph, "ext:3")
    resolve(graph, load_rules())
    pids = {r["pid"] for r in graph.read("profile_of_records", uids=["ext:1", "ext:2", "ext:3"])}
    assert len(pids) == 1 and None not in pids
    # Strict on request: the same rows with birth_date strict lose the two records whole.
    strict = write(tmp_path, "strict.toml", mapping.read_text() + 'strict = ["birth_date"]\n')
    stats.reset(graph)
    summary = run(graph, tmp_path, people, str(strict))
    assert (summary.rows_loaded, summary.rows_quarantined, summary.fields_rejected) == (1, 2, 0)


def test_reload_changes_nothing(graph: Graph, tmp_path: Path) -> None:
    people = write(tmp_path, "people.csv", "source_id,first_name,email\n1,Ann,ann@x.org\n2,Bob,bob@x.org\n")
    first = run(graph, tmp_path, people, "customers")
    before = stats.counts(graph), node(graph, "customers:1")
    second = run(graph, tmp_path, people, "customers")
    assert first.entities["Customer"] == 2
    assert second.entities["Customer"] == 0
    assert (stats.counts(graph), node(graph, "customers:1")) == before


def test_newer_version_updates_older_does_not(graph: Graph, tmp_path: Path) -> None:
    header = "source_id,first_name,email,updated_at\n"
    run(graph, tmp_path, write(tmp_path, "a.csv", header + "1,Ann,ann@x.org,2024-01-01T00:00:00Z\n"), "customers")
    run(graph, tmp_path, write(tmp_path, "b.csv", header + "1,Anne,anne@x.org,2024-06-01T00:00:00Z\n"), "customers")
    run(graph, tmp_path, write(tmp_path, "c.csv", header + "1,Old,old@x.org,2023-01-01T00:00:00Z\n"), "customers")
    assert node(graph, "customers:1")["first_name"] == "Anne"
    keys = graph.driver.execute_query(
        "MATCH (:Customer {uid: 'customers:1'})-[:HAS_IDENTIFIER]->(i) RETURN collect(i.key) AS k",
        database_=graph.database,
    ).records[0]["k"]
    assert keys == ["email:anne@x.org"]


def test_out_of_order_arrival_loses_nothing(graph: Graph, tmp_path: Path) -> None:
    orders = write(
        tmp_path,
        "shop_orders.jsonl",
        '{"order_id":"O-1","customer_id":"S-9","ordered_at":"2024-01-01T10:00:00Z","total":5,"currency":"GBP"}\n',
    )
    run(graph, tmp_path, orders)
    assert node(graph, "shop:S-9")["pending"] is True
    customers = write(
        tmp_path,
        "shop_customers.jsonl",
        '{"customer_id":"S-9","login":"ann9","email":"ann@x.org","first_name":"Ann",'
        '"address":{"street":"1 High St","city":"Leeds","postcode":"LS1 1AA","country":"GB"}}\n',
    )
    run(graph, tmp_path, customers)
    customer = node(graph, "shop:S-9")
    assert customer["first_name"] == "Ann" and customer["city"] == "Leeds"
    rows = graph.driver.execute_query(
        "MATCH (c:Customer {uid: 'shop:S-9'})-[:HAD_TOUCHPOINT]->(t:Touchpoint) RETURN t.amount AS amount",
        database_=graph.database,
    ).records
    assert [r["amount"] for r in rows] == [5.0]


def test_visitor_identifiers_accumulate_across_events(graph: Graph, tmp_path: Path) -> None:
    events = write(
        tmp_path,
        "web_events.jsonl",
        '{"event_id":"E-1","ts":"2024-01-01T10:00:00Z","cookie_id":"ck_1","device_id":"dv_1",'
        '"event_type":"login","login":"AnnS"}\n'
        '{"event_id":"E-2","ts":"2024-01-02T10:00:00Z","cookie_id":"ck_1","device_id":"dv_1",'
        '"event_type":"page_view","page":"/"}\n',
    )
    run(graph, tmp_path, events)
    keys = graph.driver.execute_query(
        "MATCH (:Customer {uid: 'web:ck_1'})-[:HAS_IDENTIFIER]->(i) RETURN i.key AS k ORDER BY k",
        database_=graph.database,
    ).records
    assert [r["k"] for r in keys] == ["cookie:ck_1", "login:anns"]
    before = stats.counts(graph)
    assert before["relationships"] == {"HAS_IDENTIFIER": 2, "HAD_TOUCHPOINT": 2, "USES_DEVICE": 1}
    again = run(graph, tmp_path, events)
    assert again.entities["Customer"] == 0 and stats.counts(graph) == before


def test_provenance_on_nodes_and_relationships(graph: Graph, tmp_path: Path) -> None:
    run(
        graph,
        tmp_path,
        write(tmp_path, "crm_contacts.csv", "contact_id,email,employer_org_id,job_title\nC-1,a@b.co,ORG-1,CTO\n"),
    )
    record = graph.driver.execute_query(
        "MATCH (c:Customer)-[w:WORKS_AT]->(o:Organization) RETURN c, w, o", database_=graph.database
    ).records[0]
    assert record["c"]["source"] == "crm" and record["c"]["source_file"] == "crm_contacts.csv"
    assert record["c"]["ingested_at"] is not None
    assert record["w"]["source"] == "crm" and record["w"]["title"] == "CTO"
    assert record["w"]["first_seen"] is not None
    assert record["o"]["uid"] == "crm:ORG-1" and record["o"]["source"] == "crm"


def test_custom_mapping_with_membership(graph: Graph, tmp_path: Path) -> None:
    mapping = write(
        tmp_path,
        "club.toml",
        """
source = "club"
[[entities]]
name = "member"
kind = "person"
id = "member_no"
fields = { full_name = "name" }
identifiers = { email = "email" }
[[entities]]
name = "club"
kind = "organization"
id = "club_id"
fields = { name = "club_name" }
[[relationships]]
type = "MEMBER_OF"
from = "member"
to = "club"
fields = { role = "role", since = "joined" }
""",
    )
    rows = write(
        tmp_path,
        "members.csv",
        "member_no,name,email,club_id,club_name,role,joined\n7,Ann Smith,ann@x.org,K1,Chess Club,captain,2021-03-04\n",
    )
    with Quarantine(tmp_path / "q.jsonl") as quarantine:
        summary = load(graph, plan([rows], mapping, None), quarantine, LoadOptions())
    assert summary.rows_loaded == 1
    record = graph.driver.execute_query(
        "MATCH (c:Customer)-[m:MEMBER_OF]->(o:Organization) RETURN c.full_name AS n, m.role AS role, "
        "toString(m.since) AS since, o.name AS club",
        database_=graph.database,
    ).records[0]
    assert (record["n"], record["role"], record["since"], record["club"]) == (
        "Ann Smith",
        "captain",
        "2021-03-04",
        "Chess Club",
    )
