"""Data-subject access and erasure for admins, and the audit log of steward actions and unmasked reads."""

import json
from datetime import UTC, datetime

from resolvers import apikeys
from resolvers.ids import encode
from tests.resolvers.test_privacy import RESTRICT, SET_CONSENT, free_profiles
from tests.resolvers.test_steward import contact, ingest

AUDIT = """query($since: DateTime!, $actor: String, $action: String) {
  auditLog(since: $since, actor: $actor, action: $action) { id at actor action target reason details } }"""
EXPORT = 'mutation($v: String!) { exportSubject(identifier: $v, reason: "access request") }'
ERASE = """mutation($v: String!, $confirm: Boolean!) { eraseSubject(identifier: $v, reason: "erasure request",
  confirm: $confirm) { subject profiles records identifiers touchpoints touchpointsMode suppressionEntries
  auditId } }"""


def name_of(client) -> str:
    return client.data("{ viewer { name } }")["viewer"]["name"]


def audit(admin_api, since: datetime, **filters: str) -> list[dict]:
    return admin_api.data(AUDIT, since=since.isoformat(), **filters)["auditLog"]


def test_export_is_admin_only_and_holds_everything_about_the_person(admin_api, app_api, ingest_api):
    email = "Export.Me.Api@Example.ORG"
    created = ingest(ingest_api, contact("C-8100001", email, "Exporta", "Apiperson"))
    pid_id = created["profileIds"][0]
    document = admin_api.data(EXPORT, v=f"email:{email}")["exportSubject"]
    assert [p["profile_id"] for p in document["profiles"]] == [created["profiles"][0]["pid"]]
    assert [r["uid"] for r in document["records"]] == ["crm:C-8100001"]
    assert "export.me.api@example.org" in json.dumps(document) and document["export_id"]
    by_id = admin_api.data("mutation($id: ID!) { exportSubject(profileId: $id) }", id=pid_id)["exportSubject"]
    assert by_id["records"] == document["records"]
    since = datetime(2000, 1, 1, tzinfo=UTC)
    exports = audit(admin_api, since, action="subject.export", actor=name_of(admin_api))
    assert {e["reason"] for e in exports} >= {"access request"}


def _quarantined(settings, needle: str) -> bool:
    path = settings.home / "quarantine" / "events.jsonl"
    return path.exists() and needle.lower() in path.read_text(encoding="utf-8").lower()


def test_erasure_is_confirmed_leaves_no_trace_in_the_api_and_sticks(
    admin_api, steward_api, app_api, ingest_api, api_settings
):
    email, first, last = "Erase.Me.Api@Example.ORG", "Erasa", "Apiperson"
    created = ingest(ingest_api, contact("C-8200001", email, first, last))
    pid = created["profiles"][0]["pid"]
    bad = contact("", email, first, last)  # no key: quarantined whole (a bad date would only cost the date)
    assert ingest(ingest_api, bad)["quarantined"] and _quarantined(api_settings, email)
    assert admin_api.errors(ERASE, v=f"email:{email}", confirm=False)[0]["extensions"]["code"] == "BAD_USER_INPUT"
    report = admin_api.data(ERASE, v=f"email:{email}", confirm=True)["eraseSubject"]
    assert report["profiles"] == 1 and report["records"] == 1 and report["suppressionEntries"] >= 1
    for text in (email.lower(), first, last, pid):
        assert text.lower() not in json.dumps(report).lower()
    by_email = 'query($v: String!) { profileByIdentifier(kind: "email", value: $v) { pid } }'
    search = "query($q: String!) { searchProfiles(query: $q, first: 50) { edges { node { pid displayName } } } }"
    for client in (steward_api, admin_api, app_api):
        assert client.data(by_email, v=email)["profileByIdentifier"] is None
        for text in (email, f"{first} {last}"):
            hits = str(client.data(search, q=text))
            assert pid not in hits and first not in hits
        assert client.data("query($id: ID!) { profile(id: $id) { pid } }", id=encode("Profile", pid))["profile"] is None
    # The erasure's own audit entry holds no personal data; the person's rows stay out on re-load.
    (entry,) = [
        e
        for e in audit(admin_api, datetime(2000, 1, 1, tzinfo=UTC), action="subject.erase")
        if e["id"] == report["auditId"]
    ]
    assert entry["reason"] == "erasure request"
    assert not any(text.lower() in json.dumps(entry).lower() for text in (email, first, last, pid))
    again = ingest(ingest_api, contact("C-8200001", email, first, last))
    assert again["profileIds"] == [] and again["reasons"] == ["suppressed"]
    # Her quarantined event went with her, and a bad event of hers is not quarantined again.
    assert not _quarantined(api_settings, email)
    assert ingest(ingest_api, bad)["reasons"] == ["suppressed"] and not _quarantined(api_settings, email)
    assert steward_api.data(by_email, v=email)["profileByIdentifier"] is None


def test_every_steward_action_is_audited(steward_api, admin_api, api_graph, world):
    (row,) = free_profiles(api_graph, world, 1)
    gid = encode("Profile", row["pid"])
    since = datetime.now(UTC)
    steward_api.data(SET_CONSENT, id=gid, purpose="api audit", channel="email", status="GRANTED")
    steward_api.data(RESTRICT, id=gid, on=True)
    steward_api.data(RESTRICT, id=gid, on=False)
    golden = """mutation($id: ID!, $v: String) { setGoldenValue(profileId: $id, field: CITY, value: $v,
      reason: "moved") { pid } }"""
    steward_api.data(golden, id=gid, v="Audit City")
    steward_api.data(golden, id=gid, v=None)
    entries = audit(admin_api, since, actor=name_of(steward_api))
    actions = [e["action"] for e in entries if e["action"] != "api.read_pii"]
    assert actions == ["consent.set", "restriction.set", "restriction.clear", "steward.golden", "steward.golden"]
    assert all(e["target"] == [row["pid"]] for e in entries if e["action"] != "api.read_pii")
    assert [e["reason"] for e in entries if e["action"].startswith("restriction")] == ["complaint", "complaint"]
    assert row["email"] not in json.dumps(entries)
    spare = apikeys.create(api_graph, "app", "test-revoke")
    admin_api.data('mutation($id: String!) { revokeApiKey(id: $id, reason: "leaked") }', id=spare.id)
    (revoked,) = audit(admin_api, since, action="apikey.revoke")
    assert (revoked["actor"], revoked["target"], revoked["reason"]) == (name_of(admin_api), [spare.id], "leaked")


def test_unmasked_reads_are_audited_once_per_request(steward_api, admin_api, app_api, jwt_steward):
    page = "{ profiles(first: 5) { edges { node { pid displayName email records { uid raw } } } } }"
    since = datetime.now(UTC)
    shown = [e["node"]["pid"] for e in steward_api.data(page)["profiles"]["edges"]]
    app_api.data("{ profiles(first: 5) { edges { node { pid displayName email } } } }")
    jwt_steward.data("{ profiles(first: 5) { edges { node { pid recordCount } } } }")  # no personal data
    reads = audit(admin_api, since, action="api.read_pii")
    assert [e["actor"] for e in reads] == [name_of(steward_api)]
    (entry,) = reads
    assert set(shown) <= set(entry["target"])
    assert {"Profile.displayName", "Profile.email", "SourceRecord.raw"} <= set(entry["details"]["fields"])
    # Reading the audit log is not a read of personal data: it names ids only.
    assert audit(admin_api, since, action="api.read_pii", actor=name_of(admin_api)) == []
