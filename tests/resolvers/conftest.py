"""API tests run a real uvicorn server (in a thread) over the real test Neo4j, and talk to it
with a real HTTP client."""

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr
from starlette.applications import Starlette

from c360.server import build_app
from c360.settings import Settings
from graph.connection import Graph, Ledger
from tests.conftest import ROOT
from tests.resolvers import world as world_module
from tests.resolvers.world import World

JWT_ISSUER = "https://idp.example.test"
JWT_AUDIENCE = "c360-api"
TEST_ID_KEY = "test-api-id-key-" + "k" * 16


class RecordingGraph(Graph):
    """The API's own Graph over the session's driver: counts its own round trips and remembers
    which catalog statements ran, so tests can check for N+1 and for untested queries."""

    ran: ClassVar[set[str]] = set()

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.database, timeout=60.0)

    def read(self, name: str, **params: Any) -> Any:
        RecordingGraph.ran.add(name)
        return super().read(name, **params)

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> Any:
        RecordingGraph.ran.update(n for n, _ in steps)
        return super().write_many(steps)


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def api_settings(signing_key: rsa.RSAPrivateKey) -> Settings:
    public = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return Settings(
        home=Path(os.environ.get("C360_TEST_HOME", ROOT / ".c360-test")),
        neo4j_bolt_port=int(os.environ.get("C360_TEST_BOLT_PORT", "7688")),
        neo4j_http_port=int(os.environ.get("C360_TEST_HTTP_PORT", "7475")),
        api_jwt_key=SecretStr(public),
        api_jwt_issuer=JWT_ISSUER,
        api_jwt_audience=JWT_AUDIENCE,
        api_key_cache_seconds=1.0,
        api_id_key=SecretStr(TEST_ID_KEY),
        api_rate_limit=0,  # the shared test server is not rate limited (test_scopes checks the limiter)
        webhooks_allow_private=True,  # the webhook tests' receiver is on 127.0.0.1
    )


@pytest.fixture(scope="session")
def api_graph(session_graph: Graph) -> RecordingGraph:
    return RecordingGraph(session_graph)


@pytest.fixture(scope="session")
def built_world(api_graph: RecordingGraph, api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_module.build(api_graph, api_settings, tmp_path_factory.mktemp("world"))


@pytest.fixture
def world(
    built_world: World, api_graph: RecordingGraph, api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> World:
    """The session's world; rebuilt in place if a test elsewhere emptied the database."""
    if not world_module.intact(api_graph, built_world):
        fresh = world_module.build(api_graph, api_settings, tmp_path_factory.mktemp("world"))
        built_world.__dict__.update(fresh.__dict__)
    return built_world


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run `app` under uvicorn in a thread on a free localhost port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on", ws="websockets-sansio")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, name="api-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="session")
def id_key() -> bytes:
    """The served app's key for masked identifier ids (C360_API_ID_KEY)."""
    return TEST_ID_KEY.encode()


@pytest.fixture(scope="session")
def api_app(api_settings: Settings, api_graph: RecordingGraph) -> Starlette:
    return build_app(api_settings, api_graph)


@pytest.fixture(scope="session")
def server(api_app: Starlette, built_world: World) -> Iterator[str]:
    with serving(api_app) as url:
        yield url


@pytest.fixture
def ledgers(server: str, api_app: Starlette, api_graph: RecordingGraph) -> tuple[Ledger, ...]:
    """Both of the served app's connections: async catalog reads and blocking graph work. An
    earlier test's events leave a trait refresh to follow in the background; it is waited for,
    so that its round trips are not counted as the measured request's."""
    assert api_app.state.api.engine.batcher.settle(60)
    return api_app.state.api.store.async_graph, api_graph


class Client:
    """A GraphQL client over HTTP with one bearer credential."""

    def __init__(self, base_url: str, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=60.0)

    def post(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.http.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.gql(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query: str, **variables: Any) -> list[dict[str, Any]]:
        body = self.gql(query, **variables)
        assert body.get("errors"), body
        return body["errors"]


def _client(server: str, token: str | None) -> Iterator[Client]:
    client = Client(server, token)
    yield client
    client.http.close()


@pytest.fixture
def app_api(server: str, world: World) -> Iterator[Client]:
    yield from _client(server, world.keys["app"])


@pytest.fixture
def steward_api(server: str, world: World) -> Iterator[Client]:
    yield from _client(server, world.keys["steward"])


@pytest.fixture
def admin_api(server: str, world: World) -> Iterator[Client]:
    yield from _client(server, world.keys["admin"])


@pytest.fixture
def ingest_api(server: str, world: World) -> Iterator[Client]:
    """An app key with the ingest scope for crm_contacts and web_events."""
    yield from _client(server, world.keys["ingest"])


@pytest.fixture
def anonymous(server: str) -> Iterator[Client]:
    yield from _client(server, None)


@pytest.fixture
def jwt_steward(server: str, world: World, make_jwt: Any) -> Iterator[Client]:
    """A steward with a JWT: verifying it costs no database round trip."""
    yield from _client(server, make_jwt("steward"))


@pytest.fixture
def connect_client(server: str) -> Iterator[Any]:
    """Clients for other credentials, closed after the test whatever happens."""
    clients: list[Client] = []

    def connect(token: str) -> Client:
        clients.append(Client(server, token))
        return clients[-1]

    yield connect
    for client in clients:
        client.http.close()


@pytest.fixture(scope="session")
def make_jwt(signing_key: rsa.RSAPrivateKey) -> Any:
    def make(role: str = "steward", **claims: Any) -> str:
        payload = {
            "sub": "alice@example.test",
            "iss": JWT_ISSUER,
            "aud": JWT_AUDIENCE,
            "c360_role": role,
            "exp": int(time.time()) + 300,
        } | claims
        return jwt.encode(payload, signing_key, algorithm="RS256")

    return make
