"""The change feed over the API: `changes` with role rules, and `profileChanges` over a real
websocket (graphql-transport-ws) that reconnects mid-stream."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph
from resolvers import apikeys, feed, ids
from tests.resolvers.conftest import Client
from tests.resolvers.world import World

CHANGES = """query($after: String, $first: Int!, $types: [String!], $profileId: ID) {
  changes(after: $after, first: $first, types: $types, profileId: $profileId) {
    events { id position cursor type profileId profileIds fields data } endCursor hasMore } }"""
SUBSCRIBE = """subscription($after: String, $types: [String!]) {
  profileChanges(after: $after, types: $types) { id position cursor type profileId data } }"""


def emit(graph: Graph, pid: str, kind: str = ev.CONSENT_CHANGED, data: dict[str, Any] | None = None) -> None:
    """One event about `pid`, committed through the outbox like any writer's."""
    event = ev.event(kind, pid, data=data or {"purpose": "feed-test", "channel": "email", "status": "granted"})
    graph.write_many(outbox.enclose([], [event], datetime.now(UTC)))


def test_changes_pages_by_cursor_and_masks_for_the_app_role(
    api_graph: Graph, world: World, steward_api: Client, app_api: Client
) -> None:
    start = outbox.head(api_graph)
    emit(api_graph, world.survivor_pid)
    emit(api_graph, world.restricted_pid)
    emit(api_graph, world.survivor_pid, ev.PROFILE_MERGED, {"surviving": world.survivor_pid, "retired": ["P-x"]})
    page = steward_api.data(CHANGES, after=str(start), first=2)["changes"]
    assert [e["position"] for e in page["events"]] == [start + 1, start + 2] and page["hasMore"]
    assert page["events"][0]["data"] == {"purpose": "feed-test", "channel": "email", "status": "granted"}
    assert page["events"][0]["profileId"] == ids.encode("Profile", world.survivor_pid)
    rest = steward_api.data(CHANGES, after=page["endCursor"], first=10)["changes"]
    assert [e["type"] for e in rest["events"]] == [ev.PROFILE_MERGED] and not rest["hasMore"]
    assert rest["events"][0]["data"]["retired"] == [ids.encode("Profile", "P-x")]

    # The app role: ids and types only, nothing about the restricted profile.
    app = app_api.data(CHANGES, after=str(start), first=10)["changes"]["events"]
    assert [e["position"] for e in app] == [start + 1, start + 3]
    assert all(e["data"] is None and e["fields"] is None for e in app)

    # Filters; an empty filtered page still moves the cursor to the head.
    only = steward_api.data(CHANGES, after=str(start), first=10, types=[ev.PROFILE_MERGED])["changes"]
    assert [e["position"] for e in only["events"]] == [start + 3]
    pid = ids.encode("Profile", world.restricted_pid)
    mine = steward_api.data(CHANGES, after=str(start), first=10, profileId=pid)["changes"]
    assert [e["position"] for e in mine["events"]] == [start + 2]
    none = steward_api.data(CHANGES, after=str(start + 3), first=10, types=[ev.ERASED])["changes"]
    assert none["events"] == [] and int(none["endCursor"]) == outbox.head(api_graph)
    for bad in ({"after": "x'; DROP"}, {"types": ["nope"]}, {"first": 0}):
        errors = steward_api.errors(CHANGES, **({"first": 5} | bad))
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


@contextmanager
def _ws(server: str, key: str | None) -> Iterator[ClientConnection]:
    url = server.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        payload = {"authorization": f"Bearer {key}"} if key else {}
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        yield ws


def _subscribe(ws: ClientConnection, after: str | None, types: list[str] | None = None) -> None:
    ack = json.loads(ws.recv(timeout=10))
    assert ack["type"] == "connection_ack", ack
    variables = {"after": after, "types": types}
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": variables}}))


def _next(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message = json.loads(ws.recv(timeout=20))
        if message["type"] == "next":
            assert "errors" not in message["payload"], message
            event: dict[str, Any] = message["payload"]["data"]["profileChanges"]
            return event
        assert message["type"] in ("ping", "pong"), message


def test_subscription_needs_credentials(server: str) -> None:
    for key in (None, "c360_nope.nope"):
        with _ws(server, key) as ws, pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


HOSTILE_MESSAGES = [
    "5",
    "null",
    "[]",
    "[" * 100_000,
    '{"type": "subscribe", "id": "1", "payload": {"query": "\\ud800"}}',
    json.dumps({"type": "subscribe", "id": "1", "payload": 5}),
    json.dumps({"type": "subscribe", "id": ["a"], "payload": {"query": SUBSCRIBE}}),
    json.dumps({"type": "subscribe", "id": "1", "payload": {"query": 5}}),
    json.dumps({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIBE, "variables": 5}}),
    json.dumps({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIBE, "operationName": 5}}),
    json.dumps({"type": "complete", "id": {"a": 1}}),
]


@pytest.mark.parametrize("message", HOSTILE_MESSAGES, ids=range(len(HOSTILE_MESSAGES)))
def test_hostile_websocket_messages_close_the_connection_cleanly(server: str, world: World, message: str) -> None:
    """Strawberry indexes into messages unchecked: a message that is no object, or a subscribe whose
    payload, id, query, variables or operation name has the wrong type, raised in its handler and
    dropped the connection with a logged traceback. Each is now a protocol error: close 4400."""
    with _ws(server, world.keys["steward"]) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


def test_subscription_needs_the_read_scope_and_keeps_the_query_limits(api_graph: Graph, server: str) -> None:
    """A key that may only ingest gets no events; a subscription is measured like a query."""
    ingest_only = apikeys.create(api_graph, "app", "feed-ingest-only", scopes=["ingest"], mappings=["web_events"])
    with _ws(server, ingest_only.key) as ws:
        _subscribe(ws, None)
        message = json.loads(ws.recv(timeout=10))
    assert message["type"] == "error" and "no read scope" in message["payload"][0]["message"], message
    assert message["id"] == "1"

    nested = "subscription { profileChanges { " + "a: id " * 40 + "} }"
    steward = apikeys.create(api_graph, "steward", "feed-limits").key
    with _ws(server, steward) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": nested}}))
        message = json.loads(ws.recv(timeout=10))
    assert message["type"] == "error" and "aliases" in message["payload"][0]["message"], message


def test_subscription_resumes_after_reconnect_without_gaps(api_graph: Graph, world: World, server: str) -> None:
    start = outbox.head(api_graph)
    total = 30
    stop = threading.Event()

    def produce() -> None:
        for _ in range(total):
            emit(api_graph, world.survivor_pid)
            time.sleep(0.02)
        stop.set()

    seen: list[dict[str, Any]] = []
    producer = threading.Thread(target=produce)
    try:
        with _ws(server, world.keys["steward"]) as ws:
            _subscribe(ws, str(start), [ev.CONSENT_CHANGED])
            producer.start()
            for _ in range(8):
                seen.append(_next(ws))
        # Closed mid-stream: events keep committing meanwhile.
        time.sleep(0.3)
        # Resume from a cursor received; a client that resumes from an older one than its last
        # sees some events twice, and deduplicates them by id.
        with _ws(server, world.keys["app"]) as ws:
            _subscribe(ws, seen[-3]["cursor"], [ev.CONSENT_CHANGED])
            unique = {e["id"] for e in seen}
            while len(unique) < total:
                event = _next(ws)
                seen.append(event)
                unique.add(event["id"])
    finally:
        if producer.is_alive():
            producer.join()
    assert stop.is_set()
    deduplicated = list({e["id"]: e for e in seen}.values())
    assert [e["position"] for e in deduplicated] == list(range(start + 1, start + 1 + total))
    assert len(seen) == total + 2  # exactly the two re-read events came twice
    # The second connection used the app key: no data.
    assert all(e["data"] is None for e in seen[8:]) and seen[0]["data"] is not None


WEBHOOKS = "{ webhooks { id url types cursor attempts deadLetters } webhookDeadLetters { id } }"


def test_admins_manage_webhooks_over_graphql(admin_api: Client, steward_api: Client) -> None:
    create = """mutation($url: String!, $types: [String!]) {
      createWebhook(url: $url, types: $types) { secret endpoint { id url types } } }"""
    created = admin_api.data(create, url="http://127.0.0.1:9/hook", types=[ev.PROFILE_MERGED])["createWebhook"]
    assert created["secret"].startswith("whsec_") and created["endpoint"]["types"] == [ev.PROFILE_MERGED]
    endpoint = created["endpoint"]["id"]
    try:
        listed = admin_api.data(WEBHOOKS)
        assert [w["id"] for w in listed["webhooks"]] == [endpoint] and "secret" not in str(listed)
        assert steward_api.errors(WEBHOOKS)[0]["extensions"]["code"] == "FORBIDDEN"
        forbidden = steward_api.errors(create, url="http://127.0.0.1:9/x", types=None)
        assert forbidden[0]["extensions"]["code"] == "FORBIDDEN"
        # (These tests allow private targets; tests/graph/changes checks they are refused by default.)
        for url, types in (
            ("file:///etc/passwd", None),
            ("http://127.0.0.1:9/", ["x"]),
            ("http://u:p@127.0.0.1/", None),
        ):
            errors = admin_api.errors(create, url=url, types=types)
            assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", errors
        replay = "mutation($e: String) { replayWebhookDeadLetters(endpointId: $e) }"
        assert admin_api.data(replay, e=endpoint)["replayWebhookDeadLetters"] == 0
        assert admin_api.errors(replay, e=None)[0]["extensions"]["code"] == "BAD_USER_INPUT"
    finally:
        deleted = admin_api.data("mutation($id: String!) { deleteWebhook(id: $id) }", id=endpoint)
    assert deleted["deleteWebhook"] is True and admin_api.data(WEBHOOKS)["webhooks"] == []


def test_ids_in_event_data_become_global_ids() -> None:
    data = {"organization": "crm:ORG1", "relationship": "works_at", "touchpoint": "shop:O1", "type": "order"}
    row = {"id": "e1", "position": 1, "type": ev.MEMBERSHIP_CHANGED, "at": None, "profile_id": "P1"}
    row |= {"profile_ids": ["P1"], "fields": None, "data": json.dumps(data)}
    shown = feed.public(row, masked=False)["data"]
    assert shown["organization"] == ids.encode("Organization", "crm:ORG1") != "crm:ORG1"
    assert shown["touchpoint"] == ids.encode("Touchpoint", "shop:O1")
    assert (shown["relationship"], shown["type"]) == ("works_at", "order")
    assert feed.public(row, masked=True)["data"] is None
