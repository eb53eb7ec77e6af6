"""Steward operations, explanations and real-time ingest, through GraphQL and POST /events."""

import httpx

from resolvers.ids import encode
from tests.resolvers.world import cypher

INGEST = """mutation($input: IngestEventInput!) { ingestEvent(input: $input) {
  quarantined reasons fieldsRejected profileIds profiles { pid displayName } } }"""
BY_EMAIL = """query($v: String!) { profileByIdentifier(kind: "email", value: $v) { id pid firstName
  records { id uid } mergeHistory { kind by reason recordIds } } }"""


def contact(contact_id: str, email: str, first: str = "Stew", last: str = "Ard") -> dict:
    return {
        "contact_id": contact_id,
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": "",
        "birth_date": "",
        "street": "",
        "city": "",
        "postcode": "",
        "country": "GB",
        "employer_org_id": "",
        "job_title": "",
        "employed_since": "",
        "updated_at": "2026-02-01T10:00:00Z",
    }


def ingest(client, row: dict, mapping: str = "crm_contacts") -> dict:
    return client.data(INGEST, input={"mapping": mapping, "row": row})["ingestEvent"]


def test_ingested_events_are_resolved_and_visible_at_once(ingest_api, steward_api):
    result = ingest(ingest_api, contact("C-8000001", "Fresh.Person@Example.ORG"))
    assert not result["quarantined"] and len(result["profileIds"]) == 1
    assert result["profiles"][0]["displayName"] == "Stew Ard"
    found = steward_api.data(BY_EMAIL, v="fresh.person@example.org")["profileByIdentifier"]
    assert found["id"] == result["profileIds"][0]
    assert [r["uid"] for r in found["records"]] == ["crm:C-8000001"]
    # A malformed email costs the value, not the event: it lands and says what it left out.
    partial = ingest(ingest_api, contact("C-8000002", "not-an-email"))
    assert not partial["quarantined"] and len(partial["profileIds"]) == 1
    assert len(partial["fieldsRejected"]) == 1 and "invalid email" in partial["fieldsRejected"][0]
    bad = ingest(ingest_api, contact("", "fresh.person@example.org"))
    assert bad["quarantined"] and "missing id field" in bad["reasons"][0] and bad["profileIds"] == []


def test_ingest_takes_only_built_in_mappings(steward_api):
    for mapping in ("../../etc/passwd.toml", "/work/main/loaders/mappings/crm_contacts.toml", "nope"):
        errors = steward_api.errors(INGEST, input={"mapping": mapping, "row": {"a": 1}})
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    errors = steward_api.errors(INGEST, input={"mapping": "crm_contacts", "row": [1, 2]})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_post_events(server, world, steward_api):
    headers = {"Authorization": f"Bearer {world.keys['ingest']}"}
    row = {
        "event_id": "E-90000001",
        "ts": "2026-03-01T12:00:00Z",
        "cookie_id": "ck_api_test_0001",
        "device_id": "dv_api_test_01",
        "device_type": "mobile",
        "event_type": "page_view",
        "page": "/",
        "login": None,
    }
    response = httpx.post(f"{server}/events", json={"mapping": "web_events", "row": row}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    profile_id = response.json()["profileIds"][0]
    touchpoints = steward_api.data(
        "query($id: ID!) { profile(id: $id) { touchpoints { edges { node { uid } } } } }", id=profile_id
    )["profile"]["touchpoints"]["edges"]
    assert [t["node"]["uid"] for t in touchpoints] == ["web:E-90000001"]
    bad = httpx.post(
        f"{server}/events", json={"mapping": "web_events", "row": {**row, "ts": "yesterday"}}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["quarantined"]
    assert httpx.post(f"{server}/events", content=b"nope", headers=headers, timeout=60).status_code == 400
    assert (
        httpx.post(f"{server}/events", json={"mapping": "x.toml", "row": row}, headers=headers, timeout=60).status_code
        == 400
    )


def test_link_unlink_split_and_history(steward_api, app_api, world):
    first = ingest(steward_api, contact("C-8100001", "link.one@example.org", "Lynn", "Kay"))
    second = ingest(steward_api, contact("C-8100002", "link.two@example.org", "Lyn", "Kay"))
    assert first["profileIds"] != second["profileIds"]
    a, b = encode("SourceRecord", "crm:C-8100001"), encode("SourceRecord", "crm:C-8100002")
    link = """mutation($a: ID!, $b: ID!) { linkRecords(recordA: $a, recordB: $b, reason: "same person, says CRM team") {
      profileIds profiles { records { uid } } } }"""
    assert app_api.errors(link, a=a, b=b)[0]["extensions"]["code"] == "FORBIDDEN"
    linked = steward_api.data(link, a=a, b=b)["linkRecords"]
    assert len(linked["profileIds"]) == 1
    assert {r["uid"] for r in linked["profiles"][0]["records"]} == {"crm:C-8100001", "crm:C-8100002"}
    profile = steward_api.data(BY_EMAIL, v="link.two@example.org")["profileByIdentifier"]
    event = next(e for e in profile["mergeHistory"] if e["kind"] == "link")
    assert event["by"] == "apikey:" + world.keys["steward"].split("_")[1] + ":test-steward"
    assert event["reason"] == "same person, says CRM team" and set(event["recordIds"]) == {a, b}

    explain = """query($a: ID!, $b: ID!) { explainLink(recordA: $a, recordB: $b) {
      linked steps { kind rule record { uid } } } }"""
    steps = steward_api.data(explain, a=a, b=b)["explainLink"]
    assert steps["linked"] and steps["steps"][0]["record"]["uid"] == "crm:C-8100001"
    assert "STEWARD_LINK" in [s["kind"] for s in steps["steps"]]

    unlink = """mutation($a: ID!, $b: ID!) { unlinkRecords(recordA: $a, recordB: $b) { profileIds } }"""
    assert len(steward_api.data(unlink, a=a, b=b)["unlinkRecords"]["profileIds"]) == 2
    assert not steward_api.data(explain, a=a, b=b)["explainLink"]["linked"]

    steward_api.data(link, a=a, b=b)
    split = """mutation($id: ID!) { splitProfile(id: $id, reason: "test") { profileIds } }"""
    assert len(steward_api.data(split, id=linked["profileIds"][0])["splitProfile"]["profileIds"]) == 2


def test_explain_link_shows_the_identifier_chain(steward_api, api_graph, world):
    uids = [
        r["uid"]
        for r in cypher(
            api_graph,
            "MATCH (:Profile {pid: $pid})-[:HAS_RECORD]->(c) RETURN c.uid AS uid ORDER BY uid",
            pid=world.survivor_pid,
        )
    ]
    query = """query($a: ID!, $b: ID!) { explainLink(recordA: $a, recordB: $b) {
      linked steps { kind recordId source identifierKey identifierKind rule } } }"""
    result = steward_api.data(query, a=encode("SourceRecord", uids[0]), b=encode("SourceRecord", uids[-1]))
    steps = result["explainLink"]["steps"]
    assert result["explainLink"]["linked"]
    assert steps[0]["recordId"] == encode("SourceRecord", uids[0])
    assert steps[-1]["recordId"] == encode("SourceRecord", uids[-1])
    assert all(s["identifierKey"] and s["rule"] for s in steps if s["kind"] == "IDENTIFIER")


def test_set_golden_value_and_withdraw_it(steward_api, app_api):
    ingest(steward_api, contact("C-8200001", "golden.one@example.org", "Goldie", "Hawn"))
    profile = steward_api.data(BY_EMAIL, v="golden.one@example.org")["profileByIdentifier"]
    mutation = """mutation($id: ID!, $value: String) { setGoldenValue(profileId: $id, field: FIRST_NAME,
      value: $value, reason: "customer called") { firstName golden { field value rule } } }"""
    assert app_api.errors(mutation, id=profile["id"], value="X")[0]["extensions"]["code"] == "FORBIDDEN"
    changed = steward_api.data(mutation, id=profile["id"], value="Goldilocks")["setGoldenValue"]
    assert changed["firstName"] == "Goldilocks"
    restored = steward_api.data(mutation, id=profile["id"], value=None)["setGoldenValue"]
    assert restored["firstName"] == "Goldie"
    # `value` is nullable, so GraphQL lets a caller leave it out: that withdraws too (was a 500-like
    # INTERNAL_SERVER_ERROR, the resolver's argument had no default).
    steward_api.data(mutation, id=profile["id"], value="Goldilocks")
    omitted = """mutation($id: ID!) { setGoldenValue(profileId: $id, field: FIRST_NAME, reason: "withdrawn")
      { firstName } }"""
    assert steward_api.data(omitted, id=profile["id"])["setGoldenValue"]["firstName"] == "Goldie"
    errors = steward_api.errors(mutation, id=encode("Profile", "P-nope"), value="x")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and "no such profile" in errors[0]["message"]


def test_record_by_source_for_stewards(steward_api):
    query = 'query { recordBySource(source: "crm", sourceId: "C-9999999") { uid firstName profile { pid } } }'
    record = steward_api.data(query)["recordBySource"]
    assert record["uid"] == "crm:C-9999999" and record["firstName"] is None and record["profile"]["pid"]
