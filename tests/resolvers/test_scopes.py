"""Least privilege: scopes on keys and tokens, ingest by named mappings, consent only with its scope,
every ingest audited, and per-key rate limits."""

import json

import httpx
import pytest
from typer.testing import CliRunner

from c360.server import build_app
from resolvers import apikeys
from resolvers.ratelimit import RateLimiter
from tests.resolvers.conftest import serving
from tests.resolvers.test_steward import INGEST, contact

CONSENT = {
    "consent_id": "K-8400001",
    "customer_id": "C-0000001",
    "purpose": "marketing",
    "channel": "email",
    "status": "granted",
    "at": "2026-03-01T10:00:00Z",
    "evidence": "attacker",
}


def post_event(server: str, key: str, mapping: str, row: dict) -> httpx.Response:
    return httpx.post(
        f"{server}/events",
        json={"mapping": mapping, "row": row},
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )


def test_app_keys_are_read_only(app_api, server, world):
    errors = app_api.errors(INGEST, input={"mapping": "crm_contacts", "row": contact("C-8400010", "ro@example.org")})
    assert errors[0]["extensions"]["code"] == "FORBIDDEN" and "ingest scope" in errors[0]["message"]
    response = post_event(server, world.keys["app"], "consents", CONSENT)
    assert response.status_code == 403 and "ingest scope" in response.json()["error"]
    assert app_api.data("{ viewer { role } }") == {"viewer": {"role": "app"}}


def test_ingest_keys_use_only_their_mappings_and_consent_needs_its_scope(server, world, api_graph, connect_client):
    # The key of test_steward's ingest: crm_contacts and web_events only.
    response = post_event(server, world.keys["ingest"], "consents", CONSENT)
    assert response.status_code == 403 and "may not ingest through 'consents'" in response.json()["error"]
    no_consent = apikeys.create(api_graph, "app", "no-consent", scopes=["ingest"], mappings=["consents"])
    response = post_event(server, no_consent.key, "consents", CONSENT)
    assert response.status_code == 403 and "consent scope" in response.json()["error"]
    consent = apikeys.create(api_graph, "app", "preference-centre", scopes=["ingest", "consent"], mappings=["consents"])
    response = post_event(server, consent.key, "consents", CONSENT | {"consent_id": "K-8400002"})
    assert response.status_code == 200, response.text
    # Without the read scope, the key writes but reads nothing.
    client = connect_client(consent.key)
    errors = client.errors("{ viewer { role } }")
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" and "read scope" in errors[0]["message"]
    body = client.gql(
        INGEST.replace("profiles { pid displayName }", "profiles { pid }"),
        input={"mapping": "consents", "row": CONSENT | {"consent_id": "K-8400003"}},
    )
    assert body["data"]["ingestEvent"]["profiles"] is None and body["data"]["ingestEvent"]["quarantined"] is False
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_every_ingest_is_audited_without_personal_data(ingest_api, admin_api, world):
    email = "Audited.Ingest@Example.ORG"
    result = ingest_api.data(INGEST, input={"mapping": "crm_contacts", "row": contact("C-8400020", email)})
    # A malformed email costs the value (counted, never named); a row without its key is quarantined.
    partial = ingest_api.data(INGEST, input={"mapping": "crm_contacts", "row": contact("C-8400021", "not-an-email")})
    assert not partial["ingestEvent"]["quarantined"]
    bad = ingest_api.data(INGEST, input={"mapping": "crm_contacts", "row": contact("", "not-an-email")})
    assert bad["ingestEvent"]["quarantined"]
    entries = admin_api.data('{ auditLog(action: "api.ingest", first: 1000) { actor target details } }')["auditLog"]
    actor = ingest_api.data("{ viewer { name } }")["viewer"]["name"]
    mine = [e for e in entries if e["actor"] == actor]
    loaded = [
        e
        for e in mine
        if e["details"]["loaded"] == 1 and e["target"] == [p["pid"] for p in result["ingestEvent"]["profiles"]]
    ]
    assert loaded and loaded[-1]["details"]["mapping"] == "crm_contacts"
    assert len(loaded[-1]["details"]["records"]) == 1 and len(loaded[-1]["details"]["records"][0]) == 32
    assert any(e["details"]["quarantined"] == 1 for e in mine)
    assert any(e["details"]["fields_rejected"] == 1 and e["details"]["loaded"] == 1 for e in mine)
    text = json.dumps(mine).lower()
    assert email.lower() not in text and "c-8400020" not in text and "c-8400021" not in text
    assert "not-an-email" not in text


def test_keys_cannot_be_given_more_than_their_role_allows(api_graph):
    for kwargs in (
        {"role": "app", "scopes": ["steward"]},
        {"role": "steward", "scopes": ["admin"]},
        {"role": "app", "scopes": ["ingest"]},  # ingest names its mappings
        {"role": "app", "scopes": ["ingest"], "mappings": ["../../etc/passwd"]},
        {"role": "app", "scopes": ["read"], "mappings": ["web_events"]},
        {"role": "app", "scopes": ["root"]},
    ):
        with pytest.raises(ValueError):
            apikeys.create(api_graph, **kwargs)


def test_cli_creates_a_scoped_ingest_key(api_settings, server):
    import typer

    from c360.cli import _apikey

    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = api_settings

    _apikey.register(app)
    args = ["apikey", "create", "--role", "app", "--scope", "ingest", "--mapping", "web_events", "--name", "tag"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert post_event(server, key, "crm_contacts", contact("C-8400030", "cli@example.org")).status_code == 403
    listed = CliRunner().invoke(app, ["apikey", "list"]).output
    assert "mappings=web_events" in listed and "ingest" in listed
    refused = CliRunner().invoke(app, ["apikey", "create", "--role", "app", "--scope", "admin"])
    assert refused.exit_code == 2 and "cannot have scope" in refused.output


def test_jwt_scopes_and_mappings(server, make_jwt):
    def send(token: str, mapping: str, row: dict) -> int:
        return post_event(server, token, mapping, row).status_code

    row = contact("C-8400040", "jwt.ingest@example.org")
    assert send(make_jwt("app"), "crm_contacts", row) == 403  # role defaults: read only
    assert send(make_jwt("app", scope="read ingest", c360_mappings=["crm_contacts"]), "crm_contacts", row) == 200
    assert send(make_jwt("app", scope="ingest", c360_mappings=["web_events"]), "crm_contacts", row) == 403
    assert send(make_jwt("app", scope="read admin"), "crm_contacts", row) == 401  # beyond the role: refused


def test_the_token_bucket():
    limiter = RateLimiter(rate=2.0, burst=3)
    assert [limiter.wait("k", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait("k", now=100.0) == pytest.approx(0.5)
    assert limiter.wait("other", now=100.0) == 0.0  # per caller
    assert limiter.wait("k", now=100.5) == 0.0  # refilled one token
    assert RateLimiter(rate=0, burst=1).wait("k") == 0.0  # off


def test_requests_over_the_rate_get_429_with_retry_after(api_settings, api_graph, world):
    settings = api_settings.model_copy(update={"api_rate_limit": 0.5, "api_rate_burst": 2})
    with serving(build_app(settings, api_graph)) as url:
        headers = {"Authorization": f"Bearer {world.keys['app']}"}
        query = {"query": "{ viewer { role } }"}
        statuses = [httpx.post(f"{url}/graphql", json=query, headers=headers) for _ in range(3)]
        assert [r.status_code for r in statuses] == [200, 200, 429]
        assert int(statuses[2].headers["retry-after"]) >= 1
        assert statuses[2].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        other = {"Authorization": f"Bearer {world.keys['steward']}"}
        assert httpx.post(f"{url}/graphql", json=query, headers=other).status_code == 200  # per key
