"""Query cost: bounded validation, a static cost limit, bounded lists, a deadline, introspection by role."""

import threading
import time

import httpx
import pytest

from c360.server import build_app
from resolvers import finders
from resolvers.ids import encode
from tests.resolvers.conftest import Client, serving
from tests.resolvers.world import cypher


def codes(errors: list[dict]) -> set[str]:
    return {e["extensions"]["code"] for e in errors}


def fragment_bomb(levels: int = 27) -> str:
    """Each fragment spreads the next one twice: 2**26 copies of the last one when expanded."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    fragments.append(f"fragment F{levels - 1} on Query {{ viewer {{ role }} }}")
    return "{ ...F0 }\n" + "\n".join(fragments)


def test_a_fragment_bomb_is_refused_at_once_and_the_server_stays_responsive(server, world):
    bomb = fragment_bomb()
    assert len(bomb) < 1500
    answer: dict[str, object] = {}

    def send() -> None:
        try:
            response = httpx.post(
                f"{server}/graphql",
                json={"query": bomb},
                headers={"Authorization": f"Bearer {world.keys['app']}"},
                timeout=20.0,
            )
            answer["body"] = response.json()
        except httpx.HTTPError as exc:  # before the fix: the request ran past any timeout
            answer["error"] = repr(exc)

    sender = threading.Thread(target=send)
    sender.start()
    # While the bomb is (or was) being handled, the health check answers promptly: a generous
    # bound, as a check that the event loop is not blocked, not as a benchmark.
    with httpx.Client(base_url=server, timeout=2.0) as health:
        for _ in range(5):
            assert health.get("/healthz").status_code == 200
            time.sleep(0.05)
    sender.join(timeout=25)
    assert "error" not in answer, answer
    errors = answer["body"]["errors"]  # type: ignore[index]
    assert codes(errors) == {"GRAPHQL_VALIDATION_FAILED"} and "fields" in errors[0]["message"]


def test_expensive_documents_are_refused_with_a_clear_error(steward_api):
    nested = """{ profiles(first: 100) { edges { node {
        relatedProfiles { profile { relatedProfiles { profile { organizations { organization {
          people { profile { pid } } } } } } } } } } } }"""
    errors = steward_api.errors(nested)
    assert codes(errors) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "at most" in errors[0]["message"] and "first" in errors[0]["message"]
    # The same shape with small explicit pages is fine.
    cheap = """{ profiles(first: 2) { edges { node {
        relatedProfiles(first: 2) { profile { relatedProfiles(first: 2) { profile { organizations(first: 2) {
          organization { people(first: 2) { profile { pid } } } } } } } } } } } }"""
    assert steward_api.data(cheap)["profiles"]["edges"]
    # Page sizes given as variables count as given.
    query = "query($n: Int) { profiles(first: $n) { edges { node { records { uid raw source sourceId city } } } } }"
    assert codes(steward_api.errors(query, n=100)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert steward_api.data(query, n=3)["profiles"]["edges"]


def test_every_list_field_takes_first(steward_api, api_graph):
    org = cypher(
        api_graph,
        """MATCH (o:Organization)<-[:WORKS_AT|MEMBER_OF]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
        WITH o, count(DISTINCT p) AS n WHERE n >= 2 RETURN o.uid AS uid ORDER BY n DESC LIMIT 1""",
    )[0]["uid"]
    query = "query($id: ID!, $n: Int) { organization(id: $id) { people(first: $n) { profile { pid } } } }"
    everyone = steward_api.data(query, id=encode("Organization", org), n=None)["organization"]["people"]
    assert len(everyone) >= 2
    one = steward_api.data(query, id=encode("Organization", org), n=1)["organization"]["people"]
    assert one == everyone[:1]
    assert codes(steward_api.errors(query, id=encode("Organization", org), n=101)) == {"BAD_USER_INPUT"}


def test_introspection_is_for_stewards_and_above_by_default(app_api, steward_api):
    query = "{ __schema { queryType { name } } }"
    errors = app_api.errors(query)
    assert codes(errors) == {"GRAPHQL_VALIDATION_FAILED"} and "Introspection" in errors[0]["message"]
    assert app_api.errors('{ __type(name: "Profile") { name } }')
    assert steward_api.data(query) == {"__schema": {"queryType": {"name": "Query"}}}
    assert app_api.data("{ viewer { __typename } }") == {"viewer": {"__typename": "Viewer"}}


@pytest.fixture
def slow_server(api_settings, api_graph, world, monkeypatch):
    """A server whose requests may take 0.5 s, and a profile page that takes far longer."""

    async def slow_page(*_: object) -> object:
        import asyncio

        await asyncio.sleep(30)
        raise AssertionError("not reached")

    monkeypatch.setattr(finders, "page", slow_page)
    settings = api_settings.model_copy(update={"api_request_timeout": 0.5})
    with serving(build_app(settings, api_graph)) as url:
        yield url


def test_a_request_past_its_deadline_gets_a_timeout_error(slow_server, world):
    client = Client(slow_server, world.keys["steward"])
    try:
        started = time.monotonic()
        body = client.gql("{ profiles(first: 1) { totalCount } }")
        assert time.monotonic() - started < 20  # answered, not hung until the sleep ends
        assert body["data"] is None and codes(body["errors"]) == {"TIMEOUT"}
        assert "0.5 s" in body["errors"][0]["message"]
        assert client.data("{ viewer { role } }") == {"viewer": {"role": "steward"}}  # the server goes on
    finally:
        client.http.close()
