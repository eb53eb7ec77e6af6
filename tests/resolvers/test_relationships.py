"""Households, organizations, related profiles, paths, neighborhoods and node(id)."""

from resolvers.ids import encode
from tests.resolvers.world import cypher

SHARED_ACCOUNT = """MATCH (p:Profile)-[:HAS_RECORD]->()-[:HOLDS]->(a:Account)<-[:HOLDS]-()<-[:HAS_RECORD]-(q:Profile)
    WHERE p <> q"""
HOUSEHOLD = """query($id: ID!) { household(id: $id) { id hid size evidence members { pid }
  sharedAccounts { uid holders { role profile { pid } } } sharedDevices { uid users { pid } } } }"""


def test_household_members_and_shared_entities(steward_api, api_graph):
    row = cypher(
        api_graph,
        """MATCH (h:Household)<-[:IN_HOUSEHOLD]-(p:Profile)
        WITH h, collect(p.pid) AS pids WHERE size(pids) > 1
        RETURN h.hid AS hid, pids ORDER BY size(pids) DESC, hid LIMIT 1""",
    )[0]
    household = steward_api.data(HOUSEHOLD, id=encode("Household", row["hid"]))["household"]
    assert sorted(m["pid"] for m in household["members"]) == sorted(row["pids"])
    for account in household["sharedAccounts"]:
        assert len({h["profile"]["pid"] for h in account["holders"]} & set(row["pids"])) > 1
    for device in household["sharedDevices"]:
        assert len({u["pid"] for u in device["users"]} & set(row["pids"])) > 1
    member = steward_api.data(
        "query($id: ID!) { profile(id: $id) { household { hid } } }", id=encode("Profile", row["pids"][0])
    )
    assert member["profile"]["household"]["hid"] == row["hid"]


def test_organization_people_match_the_crm_file(steward_api, api_graph, world):
    import csv

    with (world.sample / "crm_contacts.csv").open(encoding="utf-8") as f:
        employed = [r for r in csv.DictReader(f) if r["employer_org_id"] and r["contact_id"]]
    org = employed[0]["employer_org_id"]
    expected = {f"crm:{r['contact_id']}" for r in employed if r["employer_org_id"] == org}
    loaded = {
        r["uid"]
        for r in cypher(api_graph, "MATCH (c:Customer) WHERE c.uid IN $uids RETURN c.uid AS uid", uids=sorted(expected))
    }
    query = """query($id: ID!) { organization(id: $id) { uid name domain parent { uid } subsidiaries(depth: 3) {
      level organization { uid } } people { relation title since record { uid } profile { pid } }
      accounts { role account { uid } profile { pid } } } }"""
    organization = steward_api.data(query, id=encode("Organization", f"crm:{org}"))["organization"]
    assert organization["name"]
    assert {p["record"]["uid"] for p in organization["people"] if p["relation"] == "WORKS_AT"} == loaded
    assert all(p["profile"]["pid"] for p in organization["people"])


def test_organization_tree(steward_api, api_graph):
    # The sample has flat organizations: build a small tree under test names to walk it.
    cypher(
        api_graph,
        """MERGE (a:Organization {uid: 'test:ORG-A'}) SET a.name = 'Tree A', a.source = 'test'
        MERGE (b:Organization {uid: 'test:ORG-B'}) SET b.name = 'Tree B', b.source = 'test'
        MERGE (c:Organization {uid: 'test:ORG-C'}) SET c.name = 'Tree C', c.source = 'test'
        MERGE (b)-[:SUBSIDIARY_OF]->(a) MERGE (c)-[:SUBSIDIARY_OF]->(b)""",
    )
    query = """query($id: ID!, $depth: Int!) { organization(id: $id) { parent { uid }
      subsidiaries(depth: $depth) { level organization { uid parent { uid } } } } }"""
    one = steward_api.data(query, id=encode("Organization", "test:ORG-A"), depth=1)["organization"]
    assert one["parent"] is None
    assert one["subsidiaries"] == [{"level": 1, "organization": {"uid": "test:ORG-B", "parent": {"uid": "test:ORG-A"}}}]
    two = steward_api.data(query, id=encode("Organization", "test:ORG-A"), depth=2)["organization"]
    levels = [(s["level"], s["organization"]["uid"]) for s in two["subsidiaries"]]
    assert levels == [(1, "test:ORG-B"), (2, "test:ORG-C")]
    errors = steward_api.errors(query, id=encode("Organization", "test:ORG-A"), depth=99)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


RELATED = """query($id: ID!, $depth: Int!, $via: [RelationKind!]) { profile(id: $id) {
  relatedProfiles(depth: $depth, via: $via) { depth via profile { pid } } } }"""


def test_related_profiles_through_households_and_accounts(steward_api, api_graph):
    row = cypher(api_graph, SHARED_ACCOUNT + " RETURN p.pid AS p, q.pid AS q LIMIT 1")[0]
    related = steward_api.data(RELATED, id=encode("Profile", row["p"]), depth=1, via=["ACCOUNT"])
    found = related["profile"]["relatedProfiles"]
    assert {"depth": 1, "via": ["ACCOUNT"], "profile": {"pid": row["q"]}} in found
    household = cypher(
        api_graph,
        """MATCH (p:Profile {pid: $pid})-[:IN_HOUSEHOLD]->()<-[:IN_HOUSEHOLD]-(q)
        RETURN collect(q.pid) AS pids""",
        pid=row["p"],
    )[0]["pids"]
    by_household = steward_api.data(RELATED, id=encode("Profile", row["p"]), depth=1, via=["HOUSEHOLD"])
    assert sorted(r["profile"]["pid"] for r in by_household["profile"]["relatedProfiles"]) == sorted(household)
    deeper = steward_api.data(RELATED, id=encode("Profile", row["p"]), depth=3, via=None)["profile"]["relatedProfiles"]
    assert {r["profile"]["pid"] for r in found} <= {r["profile"]["pid"] for r in deeper}
    assert row["p"] not in {r["profile"]["pid"] for r in deeper}


def test_related_profiles_refuse_what_is_off_the_allow_list(steward_api, world):
    pid = encode("Profile", world.survivor_pid)
    for via in (["HOLDS|WORKS_AT"], ["ACCOUNT]->() MATCH (n) DETACH DELETE n //"], ["account"]):
        errors = steward_api.errors(RELATED, id=pid, depth=1, via=via)
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    errors = steward_api.errors(RELATED, id=pid, depth=4, via=None)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


PATH = """query($a: ID!, $b: ID!, $max: Int!) { path(fromId: $a, toId: $b, maxDepth: $max) {
  nodes { id type label } edges { type source target } } }"""


def test_path_between_profiles_sharing_an_account(steward_api, api_graph):
    p, q = cypher(api_graph, SHARED_ACCOUNT + " RETURN p.pid AS p, q.pid AS q LIMIT 1")[0].values()
    path = steward_api.data(PATH, a=encode("Profile", p), b=encode("Profile", q), max=6)["path"]
    nodes = path["nodes"]
    assert nodes[0]["id"] == encode("Profile", p) and nodes[-1]["id"] == encode("Profile", q)
    assert len(path["edges"]) == len(nodes) - 1 <= 4
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in path["edges"])
    assert steward_api.data(PATH, a=encode("Profile", p), b=encode("Profile", q), max=1)["path"] is None
    same = steward_api.data(PATH, a=encode("Profile", p), b=encode("Profile", p), max=2)["path"]
    assert [n["id"] for n in same["nodes"]] == [encode("Profile", p)] and same["edges"] == []
    assert steward_api.errors(PATH, a=encode("Profile", p), b=encode("Profile", q), max=7)


def test_neighborhood_is_bounded(steward_api, world):
    query = """query($id: ID!, $depth: Int!, $limit: Int!) { neighborhood(id: $id, depth: $depth, limit: $limit) {
      truncated nodes { id type label } edges { type source target } } }"""
    pid = encode("Profile", world.survivor_pid)
    one = steward_api.data(query, id=pid, depth=1, limit=50)["neighborhood"]
    assert one["nodes"][0]["id"] == pid
    assert {n["type"] for n in one["nodes"][1:]} <= {"SourceRecord", "Household"}
    assert {e["type"] for e in one["edges"]} <= {"HAS_RECORD", "IN_HOUSEHOLD"}
    three = steward_api.data(query, id=pid, depth=3, limit=10)["neighborhood"]
    assert len(three["nodes"]) == 10 and three["truncated"]
    ids = {n["id"] for n in three["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in three["edges"])
    assert steward_api.errors(query, id=pid, depth=4, limit=10)[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert steward_api.errors(query, id=pid, depth=1, limit=501)[0]["extensions"]["code"] == "BAD_USER_INPUT"
    # Far past the limit, the static cost refuses the document before it runs.
    too_many = steward_api.errors(query, id=pid, depth=1, limit=100_000)
    assert too_many[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_node_and_nodes_fetch_every_type(steward_api, api_graph, world):
    keys = cypher(
        api_graph,
        """MATCH (c:Customer)-[:HOLDS]->(a:Account) WITH c, a LIMIT 1
        MATCH (d:Device) WITH c, a, d LIMIT 1 MATCH (t:Touchpoint) WITH c, a, d, t LIMIT 1
        MATCH (i:Identifier {kind: 'email'}) WITH c, a, d, t, i LIMIT 1
        MATCH (h:Household) WITH c, a, d, t, i, h LIMIT 1
        MATCH (o:Organization) RETURN c.uid AS record, a.uid AS account, d.uid AS device, t.uid AS touchpoint,
          i.key AS identifier, h.hid AS household, o.uid AS organization LIMIT 1""",
    )[0]
    wanted = [
        ("Profile", world.survivor_pid),
        ("SourceRecord", keys["record"]),
        ("Account", keys["account"]),
        ("Device", keys["device"]),
        ("Touchpoint", keys["touchpoint"]),
        ("Identifier", keys["identifier"]),
        ("Household", keys["household"]),
        ("Organization", keys["organization"]),
    ]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
    nodes = steward_api.data(query, ids=[encode(t, k) for t, k in wanted])["nodes"]
    assert [(n["__typename"], n["id"]) for n in nodes] == [(t, encode(t, k)) for t, k in wanted]
    single = steward_api.data(
        "query($id: ID!) { node(id: $id) { id ... on Identifier { kind value } } }",
        id=encode("Identifier", keys["identifier"]),
    )["node"]
    assert single["kind"] == "email" and keys["identifier"].endswith(single["value"])
    missing = steward_api.data("query($id: ID!) { node(id: $id) { id } }", id=encode("Device", "web:nope"))
    assert missing["node"] is None
