"""Consent, restriction and who may do what with them, through GraphQL."""

from resolvers.ids import encode
from tests.resolvers.world import cypher

SET_CONSENT = """mutation($id: ID!, $purpose: String!, $channel: String!, $status: ConsentStatus!) {
  setConsent(profileId: $id, purpose: $purpose, channel: $channel, status: $status, evidence: "form-7",
             reason: "customer asked") { pid consents { purpose channel status evidence by } } }"""
RESTRICT = """mutation($id: ID!, $on: Boolean!) {
  restrictProfile(profileId: $id, restricted: $on, reason: "complaint") { pid restricted } }"""
SEGMENT = """query($purpose: String!, $channel: String!) {
  profiles(first: 100, consentedTo: {purpose: $purpose, channel: $channel}) { totalCount edges { node { pid } } } }"""
SEARCH = """query($q: String!, $purpose: String!) {
  searchProfiles(query: $q, first: 10, consentedTo: {purpose: $purpose, channel: "email"}) {
    totalCount edges { node { pid } } } }"""
CONSENTS = "query($id: ID!) { profile(id: $id) { consents { purpose channel status source at } } }"


def free_profiles(api_graph, world, n: int) -> list[dict]:
    """Profiles no other test relies on: not restricted, not part of the world's merge."""
    return cypher(
        api_graph,
        """MATCH (p:Profile) WHERE p.email IS NOT NULL AND p.restricted IS NULL
        AND NOT p.pid IN $taken RETURN p.pid AS pid, p.email AS email ORDER BY p.pid DESC LIMIT $n""",
        taken=[world.alias_pid, world.survivor_pid],
        n=n,
    )


def pids(data: dict) -> set[str]:
    return {edge["node"]["pid"] for edge in next(iter(data.values()))["edges"]}


def set_consent(client, pid: str, purpose: str, status: str, channel: str = "email") -> dict:
    return client.data(SET_CONSENT, id=encode("Profile", pid), purpose=purpose, channel=channel, status=status)[
        "setConsent"
    ]


def test_the_latest_statement_per_purpose_and_channel_is_in_force(steward_api, app_api, api_graph, world):
    (row,) = free_profiles(api_graph, world, 1)
    set_consent(steward_api, row["pid"], "API Consent", "GRANTED")
    set_consent(steward_api, row["pid"], "api consent", "GRANTED", channel="sms")
    answer = set_consent(steward_api, row["pid"], "  api   CONSENT ", "WITHDRAWN")
    mine = sorted(
        (c["purpose"], c["channel"], c["status"]) for c in answer["consents"] if c["purpose"] == "api consent"
    )
    assert mine == [("api consent", "email", "WITHDRAWN"), ("api consent", "sms", "GRANTED")]
    assert {
        (c["evidence"], c["by"].startswith("apikey:")) for c in answer["consents"] if c["purpose"] == "api consent"
    } == {("form-7", True)}
    seen = app_api.data(CONSENTS, id=encode("Profile", row["pid"]))["profile"]["consents"]
    assert {(c["purpose"], c["channel"], c["status"], c["source"]) for c in seen} >= {
        ("api consent", "email", "WITHDRAWN", "c360"),
        ("api consent", "sms", "GRANTED", "c360"),
    }
    # Who recorded it and the evidence are for stewards.
    errors = app_api.errors(
        "query($id: ID!) { profile(id: $id) { consents { evidence by } } }", id=encode("Profile", row["pid"])
    )
    assert {e["extensions"]["code"] for e in errors} == {"FORBIDDEN"}


def test_consent_filters_exclude_withdrawn_denied_and_silent_people(steward_api, app_api, api_graph, world):
    granted, withdrawn, denied, silent = free_profiles(api_graph, world, 4)
    for row in (granted, withdrawn):
        set_consent(steward_api, row["pid"], "api segment", "GRANTED")
    set_consent(steward_api, withdrawn["pid"], "api segment", "WITHDRAWN")
    set_consent(steward_api, denied["pid"], "api segment", "DENIED")
    for client in (app_api, steward_api):
        segment = client.data(SEGMENT, purpose="api segment", channel="email")
        assert pids(segment) == {granted["pid"]} and segment["profiles"]["totalCount"] == 1
        assert pids(client.data(SEGMENT, purpose="api segment", channel="sms")) == set()
        for row in (granted, withdrawn, denied, silent):
            found = pids(client.data(SEARCH, q=row["email"], purpose="api segment"))
            # Other hits (a shared mail domain) count only when they too consented.
            assert (row["pid"] in found) == (row is granted) and found <= {granted["pid"]}
            unfiltered = "query($q: String!) { searchProfiles(query: $q) { edges { node { pid } } } }"
            assert row["pid"] in pids(client.data(unfiltered, q=row["email"]))


def test_restricted_profiles_are_never_selected_for_contact(steward_api, app_api, world):
    set_consent(steward_api, world.restricted_pid, "api restricted", "GRANTED")
    for client in (app_api, steward_api):
        assert pids(client.data(SEGMENT, purpose="api restricted", channel="email")) == set()
        assert pids(client.data(SEARCH, q=world.restricted_email, purpose="api restricted")) == set()
    # Stewards still see the profile and its consent; apps do not see it at all.
    gid = encode("Profile", world.restricted_pid)
    assert {c["purpose"] for c in steward_api.data(CONSENTS, id=gid)["profile"]["consents"]} >= {"api restricted"}
    assert app_api.data(CONSENTS, id=gid)["profile"] is None


def test_restricting_hides_a_profile_from_apps_until_lifted(steward_api, app_api, api_graph, world):
    (row,) = free_profiles(api_graph, world, 1)
    gid = encode("Profile", row["pid"])
    by_email = 'query($v: String!) { profileByIdentifier(kind: "email", value: $v) { pid } }'
    assert steward_api.data(RESTRICT, id=gid, on=True)["restrictProfile"] == {"pid": row["pid"], "restricted": True}
    try:
        assert app_api.data(by_email, v=row["email"])["profileByIdentifier"] is None
        assert app_api.data("query($id: ID!) { profile(id: $id) { pid } }", id=gid)["profile"] is None
        assert steward_api.data(by_email, v=row["email"])["profileByIdentifier"] == {"pid": row["pid"]}
    finally:
        lifted = steward_api.data(RESTRICT, id=gid, on=False)["restrictProfile"]
    assert lifted == {"pid": row["pid"], "restricted": False}
    assert app_api.data(by_email, v=row["email"])["profileByIdentifier"] == {"pid": row["pid"]}


def test_privacy_operations_per_role(app_api, steward_api, admin_api, api_graph, world):
    (row,) = free_profiles(api_graph, world, 1)
    gid = encode("Profile", row["pid"])
    steward_only = [
        ("query($id: ID!) { profile(id: $id) { restricted } }", {"id": gid}),
        (SET_CONSENT, {"id": gid, "purpose": "api roles", "channel": "email", "status": "GRANTED"}),
        (RESTRICT, {"id": gid, "on": False}),
    ]
    admin_only = [
        ("mutation($id: ID!) { exportSubject(profileId: $id) }", {"id": gid}),
        ("mutation($id: ID!) { eraseSubject(profileId: $id, confirm: true) { profiles } }", {"id": gid}),
        ("{ auditLog(first: 1) { id } }", {}),
    ]
    for query, variables in steward_only + admin_only:
        errors = app_api.errors(query, **variables)
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], query
    for query, variables in admin_only:
        errors = steward_api.errors(query, **variables)
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], query
    for query, variables in steward_only:
        steward_api.data(query, **variables)
        admin_api.data(query, **variables)
    assert admin_api.data("{ auditLog(first: 1) { id } }")["auditLog"]


def test_bad_privacy_input_is_the_callers_to_fix(steward_api, admin_api):
    nobody = encode("Profile", "no-such-profile")
    cases = [
        (steward_api, SET_CONSENT, {"id": nobody, "purpose": "x", "channel": "email", "status": "GRANTED"}),
        (steward_api, SET_CONSENT, {"id": nobody, "purpose": " ", "channel": "email", "status": "GRANTED"}),
        (steward_api, RESTRICT, {"id": nobody, "on": True}),
        (admin_api, 'mutation { exportSubject(identifier: "email") }', {}),
        (admin_api, "mutation { exportSubject }", {}),
        (
            admin_api,
            'mutation($id: ID!) { exportSubject(identifier: "email:a@b.org", profileId: $id) }',
            {"id": nobody},
        ),
        (admin_api, 'mutation { exportSubject(identifier: "email:nobody.at.all@example.org") }', {}),
        (
            admin_api,
            'mutation { eraseSubject(identifier: "email:nobody.at.all@example.org", confirm: true) { profiles } }',
            {},
        ),
        (admin_api, "{ auditLog(first: 0) { id } }", {}),
    ]
    for client, query, variables in cases:
        errors = client.errors(query, **variables)
        assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"], (query, errors)
