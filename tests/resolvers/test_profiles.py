"""Profiles: by id (aliases too), by identifier, by search, by page; golden values, records,
touchpoints, history. Answers are checked against the graph and, where it makes sense, truth.csv."""

from collections import defaultdict
from itertools import combinations

from resolvers.ids import encode
from tests.resolvers.world import cypher

PROFILE = """query($id: ID!) { profile(id: $id) { id pid displayName email recordCount
  golden { field value source rule recordId candidates { value source } } } }"""
ALL_RECORDS = """query($after: String) { profiles(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { pid records { uid } } } } }"""


def all_profiles(client) -> dict[str, set[str]]:
    profiles, after = {}, None
    while True:
        page = client.data(ALL_RECORDS, after=after)["profiles"]
        profiles.update({e["node"]["pid"]: {r["uid"] for r in e["node"]["records"]} for e in page["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            return profiles
        after = page["pageInfo"]["endCursor"]


def test_profiles_partition_the_records_as_the_graph_does_and_mostly_as_truth_says(steward_api, api_graph, world):
    profiles = all_profiles(steward_api)
    graph = {
        row["pid"]: set(row["uids"])
        for row in cypher(api_graph, "MATCH (p:Profile)-[:HAS_RECORD]->(c) RETURN p.pid AS pid, collect(c.uid) AS uids")
    }
    assert profiles == graph
    # Pairwise precision and recall of the API's grouping against the generator's truth.
    truth = defaultdict(set)
    for row in world.truth:
        truth[row["person_id"]].add(f"{row['source']}:{row['source_id']}")
    pairs = lambda groups: {frozenset(p) for g in groups for p in combinations(sorted(g), 2)}  # noqa: E731
    loaded = set().union(*profiles.values())
    truth_pairs = pairs(g & loaded for g in truth.values())
    api_pairs = pairs(profiles.values())
    precision = len(api_pairs & truth_pairs) / len(api_pairs)
    recall = len(api_pairs & truth_pairs) / len(truth_pairs)
    assert precision > 0.9 and recall > 0.8, (precision, recall)


def test_profile_by_id_with_golden_provenance(steward_api, api_graph):
    row = cypher(
        api_graph,
        "MATCH (p:Profile) WHERE p.email IS NOT NULL AND p.record_count > 1 "
        "RETURN p.pid AS pid, p.email AS email ORDER BY p.pid LIMIT 1",
    )[0]
    profile = steward_api.data(PROFILE, id=encode("Profile", row["pid"]))["profile"]
    assert profile["pid"] == row["pid"] and profile["email"] == row["email"]
    email = next(g for g in profile["golden"] if g["field"] == "email")
    assert email["value"] == row["email"] and email["source"] and email["rule"] and email["recordId"]
    assert any(c["value"] == row["email"] for c in email["candidates"])


def test_a_merged_away_id_finds_the_survivor(steward_api, world):
    profile = steward_api.data(PROFILE, id=encode("Profile", world.alias_pid))["profile"]
    assert profile["pid"] == world.survivor_pid
    assert profile["id"] == encode("Profile", world.survivor_pid)


def test_unknown_profile_is_null(steward_api):
    assert steward_api.data(PROFILE, id=encode("Profile", "P-doesnotexist"))["profile"] is None


def test_profile_by_identifier_normalizes_like_the_loaders(steward_api, api_graph, world):
    # A CRM contact's email as it appears in the source file, with its case and spaces.
    contact = next(r for r in world.truth if r["source"] == "crm")
    raw_email = cypher(
        api_graph,
        "MATCH (c:Customer {uid: $uid})-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'email'}) RETURN i.value AS v",
        uid=f"crm:{contact['source_id']}",
    )[0]["v"]
    messy = f"  {raw_email.upper()} "
    query = """query($v: String!) { profileByIdentifier(kind: "email", value: $v) { pid records { uid } } }"""
    found = steward_api.data(query, v=messy)["profileByIdentifier"]
    uids = {r["uid"] for r in found["records"]}
    assert f"crm:{contact['source_id']}" in uids
    phone = cypher(
        api_graph,
        "MATCH (i:Identifier {kind: 'phone'})<-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(p) "
        "WHERE i.value STARTS WITH '+44' RETURN i.value AS v, p.pid AS pid LIMIT 1",
    )[0]
    national = "0" + phone["v"][3:6] + " " + phone["v"][6:]
    query = """query($v: String!) { profileByIdentifier(kind: "phone", value: $v) { pid } }"""
    assert steward_api.data(query, v=national)["profileByIdentifier"]["pid"] == phone["pid"]


def test_profile_by_identifier_rejects_bad_values_and_flags_shared_ones(steward_api, api_graph):
    errors = steward_api.errors('{ profileByIdentifier(kind: "email", value: "not an email") { pid } }')
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and "invalid email" in errors[0]["message"]
    errors = steward_api.errors('{ profileByIdentifier(kind: "Email; DROP", value: "x") { pid } }')
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    shared = cypher(
        api_graph,
        """MATCH (i:Identifier)<-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
        WITH i, count(DISTINCT p) AS n WHERE n > 1 AND i.kind IN ['email', 'phone', 'address']
        RETURN i.kind AS kind, i.value AS value, n LIMIT 1""",
    )
    if shared:
        kind, value, n = shared[0].values()
        query = "query($k: String!, $v: String!) { profileByIdentifier(kind: $k, value: $v) { pid } }"
        assert steward_api.errors(query, k=kind, v=value)[0]["extensions"]["code"] == "AMBIGUOUS"
        query = "query($k: String!, $v: String!) { profilesByIdentifier(kind: $k, value: $v) { pid } }"
        assert len(steward_api.data(query, k=kind, v=value)["profilesByIdentifier"]) == n


def test_search_ranks_names_emails_and_organizations(steward_api, api_graph):
    person = cypher(
        api_graph,
        "MATCH (p:Profile) WHERE p.last_name IS NOT NULL AND p.email IS NOT NULL "
        "RETURN p.pid AS pid, p.first_name AS first, p.last_name AS last, p.email AS email "
        "ORDER BY p.pid LIMIT 1",
    )[0]
    query = """query($q: String!, $after: String) { searchProfiles(query: $q, first: 5, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { pid } } } }"""
    by_name = steward_api.data(query, q=f"{person['first']} {person['last']}")["searchProfiles"]
    assert by_name["edges"][0]["node"]["pid"] == person["pid"]
    by_email = steward_api.data(query, q=f" {person['email'].upper()} ")["searchProfiles"]
    assert by_email["edges"][0]["node"]["pid"] == person["pid"]
    org = cypher(
        api_graph,
        "MATCH (o:Organization)<-[:WORKS_AT]-(:Customer)<-[:HAS_RECORD]-(p:Profile) "
        "RETURN o.name AS name, collect(DISTINCT p.pid) AS pids LIMIT 1",
    )[0]
    found = steward_api.data(query, q=org["name"].split()[0])["searchProfiles"]
    assert found["totalCount"] >= 1
    everyone = steward_api.data(query, q=person["last"][:3])["searchProfiles"]
    if everyone["pageInfo"]["hasNextPage"]:
        second = steward_api.data(query, q=person["last"][:3], after=everyone["pageInfo"]["endCursor"])
        first_page = {e["node"]["pid"] for e in everyone["edges"]}
        assert not first_page & {e["node"]["pid"] for e in second["searchProfiles"]["edges"]}


def test_paging_through_all_profiles(steward_api, api_graph):
    total = cypher(api_graph, "MATCH (p:Profile) WHERE p.restricted IS NULL RETURN count(p) AS n")[0]["n"]
    query = """query($after: String) { profiles(first: 37, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { pid } } } }"""
    app_seen, after = [], None
    while True:
        page = steward_api.data(query, after=after)["profiles"]
        app_seen += [e["node"]["pid"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert app_seen == sorted(app_seen) and len(app_seen) == len(set(app_seen)) == page["totalCount"]
    assert page["totalCount"] >= total


TOUCHPOINTS = """query($id: ID!, $after: String, $channel: String, $since: DateTime, $until: DateTime) {
  profile(id: $id) { touchpoints(first: 3, after: $after, channel: $channel, since: $since, until: $until) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { uid at channel recordId } } } } }"""


def test_touchpoints_newest_first_with_keyset_pages_and_filters(steward_api, api_graph):
    busiest = cypher(
        api_graph,
        """MATCH (p:Profile)-[:HAS_RECORD]->()-[:HAD_TOUCHPOINT]->(t)
        WITH p, collect(DISTINCT t) AS ts ORDER BY size(ts) DESC, p.pid LIMIT 1
        RETURN p.pid AS pid, [t IN ts | {uid: t.uid, at: t.at, channel: t.channel}] AS ts""",
    )[0]
    expected = sorted(busiest["ts"], key=lambda t: (t["at"], t["uid"]), reverse=True)
    seen, after = [], None
    while True:
        page = steward_api.data(TOUCHPOINTS, id=encode("Profile", busiest["pid"]), after=after)
        page = page["profile"]["touchpoints"]
        assert page["totalCount"] == len(expected)
        seen += [e["node"]["uid"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [t["uid"] for t in expected]
    channel = expected[0]["channel"]
    filtered = steward_api.data(TOUCHPOINTS, id=encode("Profile", busiest["pid"]), channel=channel)
    assert filtered["profile"]["touchpoints"]["totalCount"] == sum(t["channel"] == channel for t in expected)
    middle = expected[len(expected) // 2]["at"]
    since = steward_api.data(TOUCHPOINTS, id=encode("Profile", busiest["pid"]), since=middle.isoformat())
    assert since["profile"]["touchpoints"]["totalCount"] == sum(t["at"] >= middle for t in expected)
    until = steward_api.data(TOUCHPOINTS, id=encode("Profile", busiest["pid"]), until=middle.isoformat())
    assert until["profile"]["touchpoints"]["totalCount"] == sum(t["at"] < middle for t in expected)


def test_records_and_history_for_stewards(steward_api, world):
    query = """query($id: ID!) { profile(id: $id) { records { id uid source sourceId loadedAt attributes raw
      profile { pid } } mergeHistory { kind at by recordIds fromProfileIds } } }"""
    profile = steward_api.data(query, id=encode("Profile", world.survivor_pid))["profile"]
    assert any(
        r["uid"] == "crm:C-9999999" and r["raw"] and r["attributes"]["city"] == "Merge" for r in profile["records"]
    )
    assert all(r["profile"]["pid"] == world.survivor_pid for r in profile["records"])
    merges = [e for e in profile["mergeHistory"] if e["kind"] == "merge"]
    assert merges and encode("Profile", world.alias_pid) in merges[0]["fromProfileIds"]
