"""The HTTP surface: health, readiness, metrics, GraphiQL, methods, bodies, authentication."""

import httpx

from resolvers.app import create_app
from resolvers.metrics import Metrics
from tests.resolvers.conftest import serving

VIEWER = "{ viewer { name role } }"


def test_health_and_readiness_need_no_key(server):
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{server}/readyz").json() == {"status": "ready"}


def test_everything_else_needs_a_key(anonymous, server):
    response = anonymous.post(VIEWER)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert httpx.get(f"{server}/metrics").status_code == 401
    assert httpx.post(f"{server}/events", json={"mapping": "web_events", "row": {}}).status_code == 401


def test_bad_credentials_are_refused(server, world):
    for header in (
        "Bearer c360_000000000000_nope",
        "Bearer " + world.keys["app"] + "x",
        "Basic abc",
        "Bearer",
        "Bearer not.a.jwt",
        world.keys["app"],
    ):
        response = httpx.post(f"{server}/graphql", json={"query": VIEWER}, headers={"Authorization": header})
        assert response.status_code == 401, header


def test_graphiql_page_on_get_but_no_queries_over_get(server, world):
    page = httpx.get(f"{server}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    # A query in the URL would land in access logs: it is never executed.
    response = httpx.get(
        f"{server}/graphql", params={"query": VIEWER}, headers={"Authorization": f"Bearer {world.keys['admin']}"}
    )
    assert response.status_code in (200, 405) and "apikey" not in response.text


def test_metrics_count_operations_and_neo4j_time(server, steward_api):
    steward_api.data("query MetricsProbe { viewer { role } profiles(first: 1) { totalCount } }")
    text = steward_api.http.get("/metrics").text
    assert 'c360_graphql_operations_total{operation="MetricsProbe",outcome="ok"}' in text
    assert 'c360_graphql_operation_seconds_bucket{le="0.1",operation="MetricsProbe"}' in text
    assert 'c360_neo4j_query_seconds_count{query="api_profiles_page"}' in text
    assert 'c360_http_requests_total{route="/graphql",status="200"}' in text


def test_operation_names_cannot_blow_up_metric_labels():
    metrics = Metrics()
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label('x"} 1\nevil') == "other"
    labels = [metrics.operation_label(f"Op{i}") for i in range(300)]
    assert labels[:3] == ["Op0", "Op1", "Op2"] and labels.count("other") == 100


def test_oversized_and_malformed_bodies_are_refused_cleanly(steward_api):
    huge = "{ viewer { role } }" + " " * 300_000
    assert steward_api.post(huge).status_code == 413
    response = steward_api.http.post("/graphql", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    response = steward_api.http.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
    # Batches are off: one operation per request keeps every limit per request.
    response = steward_api.http.post("/graphql", json=[{"query": VIEWER}, {"query": VIEWER}])
    assert response.status_code == 400


def test_lifespan_opens_and_closes_its_own_drivers(api_settings, world):
    app = create_app(api_settings)
    with serving(app) as url:
        assert httpx.get(f"{url}/readyz").json() == {"status": "ready"}
        response = httpx.post(
            f"{url}/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {world.keys['app']}"}
        )
        assert response.json()["data"]["viewer"]["role"] == "app"
        graph, async_graph = app.state.api.graph, app.state.api.store.async_graph
    assert graph.driver._closed and async_graph.driver._closed
