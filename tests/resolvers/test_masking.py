"""Roles: what the app role sees (masked, no records, no restricted profiles) and stewards see."""

import re

from resolvers.ids import encode
from resolvers.masking import mask_email, mask_phone
from tests.resolvers.world import cypher

FULL = """query($id: ID!) { profile(id: $id) { pid email phone emails phones
  identifiers { id kind value key } golden { field value candidates { value } } records { uid raw }
  mergeHistory { kind } } }"""


def _profile_with_email_and_phone(api_graph) -> dict:
    return cypher(
        api_graph,
        "MATCH (p:Profile) WHERE p.email IS NOT NULL AND p.phone IS NOT NULL "
        "AND p.restricted IS NULL RETURN p.pid AS pid, p.email AS email, p.phone AS phone "
        "ORDER BY p.pid LIMIT 1",
    )[0]


def test_masking_rules():
    assert mask_email("ann.smith@example.org") == "a***@example.org"
    assert mask_phone("+447911123456") == "+44******3456"
    assert mask_phone("+12025550123") == "+1******0123"


def test_app_sees_masked_personal_data_and_no_records(app_api, api_graph):
    row = _profile_with_email_and_phone(api_graph)
    body = app_api.gql(FULL, id=encode("Profile", row["pid"]))
    profile = body["data"]["profile"]
    assert profile["email"] == mask_email(row["email"]) != row["email"]
    assert profile["phone"] == mask_phone(row["phone"]) != row["phone"]
    assert all(re.fullmatch(r".\*\*\*@.+", e) for e in profile["emails"])
    assert all("******" in p or "*****" in p for p in profile["phones"])
    for identifier in profile["identifiers"]:
        if identifier["kind"] in ("email", "phone"):
            assert "***" in identifier["value"] and "***" in identifier["key"]
    for golden in profile["golden"]:
        if golden["field"] in ("email", "phone"):
            assert "***" in golden["value"] and all("***" in c["value"] for c in golden["candidates"])
    assert profile["records"] is None and profile["mergeHistory"] is None
    assert {e["path"][-1] for e in body["errors"]} == {"records", "mergeHistory"}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    # Nothing in the whole answer gives the real values away, ids included.
    text = str(body)
    assert row["email"] not in text and row["phone"] not in text
    from base64 import urlsafe_b64decode

    for identifier in profile["identifiers"]:
        decoded = urlsafe_b64decode(identifier["id"] + "==").decode()
        assert row["email"] not in decoded and row["phone"] not in decoded


def test_steward_sees_everything(steward_api, api_graph):
    row = _profile_with_email_and_phone(api_graph)
    profile = steward_api.data(FULL, id=encode("Profile", row["pid"]))["profile"]
    assert profile["email"] == row["email"] and profile["phone"] == row["phone"]
    assert profile["records"] and all(r["raw"] for r in profile["records"] if r["uid"].startswith("crm:"))


def test_app_cannot_reach_records_any_other_way(app_api, api_graph):
    uid = cypher(api_graph, "MATCH (c:Customer {source: 'crm'}) RETURN c.uid AS uid LIMIT 1")[0]["uid"]
    source, source_id = uid.split(":", 1)
    errors = app_api.errors("query($id: ID!) { node(id: $id) { id } }", id=encode("SourceRecord", uid))
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    query = "query($s: String!, $i: String!) { recordBySource(source: $s, sourceId: $i) { uid } }"
    assert app_api.errors(query, s=source, i=source_id)[0]["extensions"]["code"] == "FORBIDDEN"
    query = "query($a: ID!) { explainLink(recordA: $a, recordB: $a) { linked } }"
    assert app_api.errors(query, a=encode("SourceRecord", uid))[0]["extensions"]["code"] == "FORBIDDEN"


def test_graph_views_mask_labels_for_apps(app_api, steward_api, api_graph):
    row = _profile_with_email_and_phone(api_graph)
    query = """query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 200) { nodes { type label } } }"""
    app_view = str(app_api.data(query, id=encode("Profile", row["pid"])))
    steward_view = str(steward_api.data(query, id=encode("Profile", row["pid"])))
    assert row["email"] not in app_view and mask_email(row["email"]) in app_view
    assert row["email"] in steward_view


def test_restricted_profiles_do_not_exist_for_apps(app_api, steward_api, world, api_graph):
    pid = world.restricted_pid
    gid = encode("Profile", pid)
    by_id = "query($id: ID!) { profile(id: $id) { pid } node(id: $id) { id } }"
    assert app_api.data(by_id, id=gid) == {"profile": None, "node": None}
    assert steward_api.data(by_id, id=gid)["profile"] == {"pid": pid}
    by_email = 'query($v: String!) { profilesByIdentifier(kind: "email", value: $v) { pid } }'
    assert pid not in str(app_api.data(by_email, v=world.restricted_email))
    assert pid in str(steward_api.data(by_email, v=world.restricted_email))
    search = "query($q: String!) { searchProfiles(query: $q, first: 50) { totalCount edges { node { pid } } } }"
    assert pid not in str(app_api.data(search, q=world.restricted_email))
    assert pid in str(steward_api.data(search, q=world.restricted_email))
    hid, other = cypher(
        api_graph,
        """MATCH (p:Profile {pid: $pid})-[:IN_HOUSEHOLD]->(h)<-[:IN_HOUSEHOLD]-(q)
        RETURN h.hid AS hid, q.pid AS other LIMIT 1""",
        pid=pid,
    )[0].values()
    members = "query($id: ID!) { household(id: $id) { members { pid } } }"
    assert pid not in str(app_api.data(members, id=encode("Household", hid)))
    assert pid in str(steward_api.data(members, id=encode("Household", hid)))
    related = "query($id: ID!) { profile(id: $id) { relatedProfiles(depth: 2) { profile { pid } } } }"
    assert pid not in str(app_api.data(related, id=encode("Profile", other)))
    assert pid in str(steward_api.data(related, id=encode("Profile", other)))
    path = "query($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxDepth: 6) { nodes { id } } }"
    assert app_api.data(path, a=encode("Profile", other), b=gid)["path"] is None
    assert steward_api.data(path, a=encode("Profile", other), b=gid)["path"] is not None
    near = "query($id: ID!) { neighborhood(id: $id, depth: 1, limit: 100) { nodes { id } } }"
    assert gid not in str(app_api.data(near, id=encode("Household", hid)))
    assert gid in str(steward_api.data(near, id=encode("Household", hid)))
    all_profiles = "{ profiles(first: 100) { totalCount } }"
    assert (
        app_api.data(all_profiles)["profiles"]["totalCount"]
        == steward_api.data(all_profiles)["profiles"]["totalCount"] - 1
    )


def test_masked_identifier_ids_cannot_be_tested_against_guesses(app_api, api_graph, id_key):
    import hashlib
    import hmac

    row = _profile_with_email_and_phone(api_graph)
    query = "query($id: ID!) { profile(id: $id) { identifiers { id kind } } }"
    seen = {i["id"] for i in app_api.data(query, id=encode("Profile", row["pid"]))["profile"]["identifiers"]}
    for key in (f"email:{row['email']}", f"phone:{row['phone']}"):
        # A guess hashed without the server's key (as an attacker would) matches nothing ...
        guessed = encode("Identifier", "#" + hashlib.sha256(key.encode()).hexdigest()[:32])
        assert guessed not in seen
        # ... while the id is the HMAC under the key, which only the server holds.
        keyed = encode("Identifier", "#" + hmac.new(id_key, key.encode(), hashlib.sha256).hexdigest()[:32])
        assert keyed in seen


def test_the_app_role_looks_up_only_configured_kinds(app_api, steward_api, api_graph):
    query = "query($k: String!, $v: String!) { profilesByIdentifier(kind: $k, value: $v) { pid } }"
    errors = app_api.errors(query, k="national_id", v="QQ123456C")
    assert errors[0]["extensions"]["code"] == "FORBIDDEN" and "email" in errors[0]["message"]
    assert steward_api.data(query, k="national_id", v="QQ123456C") == {"profilesByIdentifier": []}
    row = _profile_with_email_and_phone(api_graph)
    assert row["pid"] in str(app_api.data(query, k="email", v=row["email"]))


def test_the_app_role_cannot_search_identifier_values_by_prefix(app_api, steward_api):
    from tests.resolvers.test_steward import contact, ingest

    email = "zqxwvk.jhgfd@example.org"  # nothing like anyone's name
    created = ingest(steward_api, contact("C-8300001", email, "Prefix", "Probe"))
    pid = created["profiles"][0]["pid"]
    query = "query($q: String!) { searchProfiles(query: $q, first: 100) { edges { node { pid } } } }"
    # A steward's search matches the start of an email ...
    assert pid in str(steward_api.data(query, q="zqxwvk.jh"))
    # ... the app role's does not: names only, and whole identifier values.
    assert pid not in str(app_api.data(query, q="zqxwvk.jh"))
    assert pid not in str(app_api.data(query, q="zqxwvk.jhgfd"))
    assert pid in str(app_api.data(query, q=email.upper()))
    assert pid in str(app_api.data(query, q="prefix probe"))
