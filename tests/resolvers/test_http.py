"""The HTTP surface: health, readiness, metrics, GraphiQL, methods, bodies, authentication."""

import httpx

from c360.server import build_app
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


HOSTILE_JSON = {
    "nested past the recursion limit": b"[" * 100_000,
    "nested in the variables": b'{"query": "{ viewer { role } }", "variables": {"v": ' + b"[" * 100_000 + b"}",
    "not UTF-8": b'{"query": "{ viewer { role } }", "operationName": "\xff"}',
    "an unpaired surrogate in a name": b'{"query": "query A { viewer { role } }", "operationName": "\\ud800"}',
    "an unpaired surrogate in a row": b'{"mapping": "customers", "row": {"source_id": "S1", "first_name": "\\udc00"}}',
    "a number too big for a float": b'{"mapping": "customers", "row": {"source_id": 1e400}}',
    "an unpaired surrogate in a key": b'{"mapping": "customers", "row": {"source_id": "S1", "\\ud800": "x"}}',
}


def test_hostile_json_bodies_are_400_not_500(steward_api):
    """json.loads raises RecursionError on deep nesting and UnicodeDecodeError on bytes that are not
    UTF-8, which are no JSONDecodeError; an escaped unpaired surrogate parses, then fails whatever
    encodes it (the driver, a hash, a log line). Each is the caller's mistake: a 400 that says so."""
    headers = {"Content-Type": "application/json"}
    for what, body in HOSTILE_JSON.items():
        for path in ("/graphql", "/events"):
            response = steward_api.http.post(path, content=body, headers=headers)
            assert response.status_code == 400, (what, path, response.status_code, response.text)
    assert steward_api.data(VIEWER)["viewer"]["role"] == "steward"  # and the server goes on


def test_graphql_bodies_of_the_wrong_shape_are_400_with_a_reason(steward_api):
    headers = {"Content-Type": "application/json"}
    for body in (b"5", b'"query"', b"null", b"true"):
        response = steward_api.http.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400 and "JSON object" in response.text, (body, response.text)
    for name in (5, ["a"], {"a": 1}, True):
        response = steward_api.http.post("/graphql", json={"query": VIEWER, "operationName": name})
        assert response.status_code == 400 and "operationName" in response.text, (name, response.text)


def test_lifespan_opens_and_closes_its_own_drivers(api_settings, world):
    app = build_app(api_settings)
    with serving(app) as url:
        assert httpx.get(f"{url}/readyz").json() == {"status": "ready"}
        response = httpx.post(
            f"{url}/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {world.keys['app']}"}
        )
        assert response.json()["data"]["viewer"]["role"] == "app"
        graph, async_graph = app.state.api.graph, app.state.api.store.async_graph
    assert graph.driver._closed and async_graph.driver._closed


def test_one_access_line_per_request_with_its_id_and_json_logs(api_settings, world, caplog, capsys):
    import json
    import logging

    from c360 import logs

    settings = api_settings.model_copy(update={"api_access_log": True})
    with caplog.at_level(logging.INFO, logger="c360.access"), serving(build_app(settings)) as url:
        headers = {"Authorization": f"Bearer {world.keys['app']}", "X-Request-Id": "req-42"}
        response = httpx.post(f"{url}/graphql", json={"query": VIEWER}, headers=headers)
        hostile = httpx.post(f"{url}/graphql", json={"query": VIEWER}, headers={"X-Request-Id": "a b {" + "x" * 80})
    assert response.headers["x-request-id"] == "req-42"
    assert hostile.status_code == 401 and len(hostile.headers["x-request-id"]) == 32  # replaced, not echoed
    lines = [r for r in caplog.records if r.name == "c360.access"]
    assert [(r.request_id, r.route, r.status) for r in lines] == [  # type: ignore[attr-defined]
        ("req-42", "/graphql", 200),
        (hostile.headers["x-request-id"], "/graphql", 401),
    ]
    handler_before = logging.getLogger().handlers[:]
    try:
        logs.configure("INFO", "json")
        logging.getLogger("c360.access").info("GET /healthz 200", extra={"request_id": "r1", "status": 200})
        entry = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        logging.getLogger().handlers[:] = handler_before
    assert entry["request_id"] == "r1" and entry["status"] == 200 and entry["logger"] == "c360.access"


def test_no_driver_warning_per_request_on_a_graph_without_households(steward_api, world, caplog):
    """Planner notifications (an unknown relationship type on a young graph) are not logged: under
    load they were thousands of lines a second."""
    import logging

    with caplog.at_level(logging.INFO, logger="neo4j"):
        for _ in range(3):
            response = steward_api.post("{ viewer { role } }")
            assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith("neo4j") and r.levelno >= logging.WARNING] == []
