"""API keys and JWT bearer tokens, and the `c360 apikey` command."""

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import typer
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from typer.testing import CliRunner

from c360.cli import _apikey
from tests.resolvers.conftest import JWT_AUDIENCE, JWT_ISSUER

VIEWER = "{ viewer { name role } }"


def test_each_role_key_is_its_role(app_api, steward_api, admin_api):
    for client, role in ((app_api, "app"), (steward_api, "steward"), (admin_api, "admin")):
        viewer = client.data(VIEWER)["viewer"]
        assert viewer == {"name": viewer["name"], "role": role}
        assert viewer["name"].startswith("apikey:") and viewer["name"].endswith(f":test-{role}")


def test_keys_are_stored_hashed_and_listed_without_secrets(admin_api, api_graph, world):
    from tests.resolvers.world import cypher

    stored = cypher(api_graph, "MATCH (k:ApiKey) RETURN k.hash AS hash")
    assert stored and all(len(row["hash"]) == 64 for row in stored)
    assert not any(world.keys["app"] in str(row) for row in stored)
    keys = admin_api.data("{ apiKeys { id role name createdAt revokedAt } }")["apiKeys"]
    assert {k["role"] for k in keys} >= {"app", "steward", "admin"}


def test_only_admins_list_and_revoke_keys(steward_api):
    errors = steward_api.errors("{ apiKeys { id } }")
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = steward_api.errors('mutation { revokeApiKey(id: "abc") }')
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_a_revoked_key_stops_working_after_the_cache_interval(admin_api, connect_client, api_graph):
    from resolvers import apikeys

    key = apikeys.create(api_graph, "app", "short-lived")
    client = connect_client(key.key)
    assert client.data(VIEWER)["viewer"]["role"] == "app"
    assert admin_api.data("mutation($id: String!) { revokeApiKey(id: $id) }", id=key.id) == {"revokeApiKey": True}
    time.sleep(1.1)  # the test server trusts a verified key for 1 s
    assert client.post(VIEWER).status_code == 401


def test_jwt_bearer_tokens_carry_subject_and_role(jwt_steward):
    assert jwt_steward.data(VIEWER)["viewer"] == {"name": "jwt:alice@example.test", "role": "steward"}


def _hs256_signed_with(secret: bytes, claims: dict) -> str:
    """A token pyjwt itself refuses to make: HS256 keyed with the server's RSA public key."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(signature)


def test_bad_jwts_are_refused(server, make_jwt, signing_key):
    public = signing_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    admin = {"sub": "x", "c360_role": "admin", "exp": int(time.time()) + 60, "iss": JWT_ISSUER, "aud": JWT_AUDIENCE}
    bad = [
        make_jwt(exp=int(time.time()) - 3600),  # expired
        make_jwt(iss="https://evil.example"),  # wrong issuer
        make_jwt(aud="someone-else"),  # wrong audience
        make_jwt(c360_role="root"),  # unknown role
        make_jwt(c360_role=None),  # no role
        jwt.encode(admin, None, algorithm="none"),  # unsigned
        _hs256_signed_with(public, admin),  # algorithm confusion
    ]
    for token in bad:
        response = httpx.post(f"{server}/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


def test_cli_creates_a_key_that_the_server_accepts(api_settings, connect_client):
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = api_settings

    _apikey.register(app)
    result = CliRunner().invoke(app, ["apikey", "create", "--role", "steward", "--name", "cli-test"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    client = connect_client(key)
    assert client.data(VIEWER)["viewer"] == {"name": f"apikey:{key.split('_')[1]}:cli-test", "role": "steward"}
    listed = CliRunner().invoke(app, ["apikey", "list"])
    assert "cli-test" in listed.output and key not in listed.output
    revoked = CliRunner().invoke(app, ["apikey", "revoke", key.split("_")[1]])
    assert revoked.exit_code == 0, revoked.output
    assert CliRunner().invoke(app, ["apikey", "create", "--role", "root"]).exit_code != 0
