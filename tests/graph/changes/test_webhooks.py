"""Webhook deliveries to a real HTTP receiver on 127.0.0.1: signed, retried, dead-lettered, replayed."""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bench.receiver import Receiver
from c360 import delivery, lanes
from c360.delivery import Deliverer, DeliveryOptions
from graph.changes import events as ev
from graph.changes import outbox, webhooks
from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.privacy import consent, restriction
from tests.graph.identity.conftest import Loader, profile_of

FAST = DeliveryOptions(allow_private=True, max_attempts=3, backoff_seconds=0.2, lease_seconds=3, poll_seconds=0.02)


@contextmanager
def delivering(graph: Graph, options: DeliveryOptions = FAST, holder: str | None = None) -> Iterator[Deliverer]:
    stop = threading.Event()
    deliverer = Deliverer(graph, options, holder)
    thread = threading.Thread(target=deliverer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield deliverer
    finally:
        stop.set()
        thread.join(10)


@pytest.fixture
def pid(graph: Graph, load_csv: Loader) -> str:
    load_csv([{"source_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    return profile_of(graph, "crm:A")


def test_urls_are_checked() -> None:
    for bad in ("ftp://example.org/x", "http:///x", "http://user:pw@example.org/", "javascript:alert(1)"):
        with pytest.raises(webhooks.WebhookError):
            webhooks.check_url(bad, allow_private=True)
    for private in ("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/latest"):
        with pytest.raises(webhooks.WebhookError, match="C360_WEBHOOKS_ALLOW_PRIVATE"):
            webhooks.check_url(private, allow_private=False)
    assert webhooks.check_url("http://127.0.0.1:9/x", allow_private=True)


def test_signature_verifies_and_rejects_tampering() -> None:
    header = webhooks.sign("s" * 20, b'{"a":1}', 1_700_000_000)
    assert webhooks.verify("s" * 20, b'{"a":1}', header, 1_700_000_010)
    assert not webhooks.verify("s" * 20, b'{"a":2}', header, 1_700_000_010)
    assert not webhooks.verify("t" * 20, b'{"a":1}', header, 1_700_000_010)
    assert not webhooks.verify("s" * 20, b'{"a":1}', header, 1_700_001_000)  # too old: replayed
    assert not webhooks.verify("s" * 20, b'{"a":1}', "v1=abc", 1_700_000_010)


def test_retries_with_backoff_then_delivers_in_order(graph: Graph, pid: str) -> None:
    receiver = Receiver(fail_first=2)
    try:
        endpoint, secret = webhooks.create(graph, receiver.url, None, by="test", allow_private=True)
        receiver.secret = secret
        for status in ("granted", "denied", "granted"):
            consent.set(graph, pid, "marketing", "email", status, by="test")
        with delivering(graph):
            got = receiver.wait(3)
        assert [e["type"] for e in got] == [ev.CONSENT_CHANGED] * 3
        assert [e["data"]["status"] for e in got] == ["granted", "denied", "granted"]
        assert [e["position"] for e in got] == sorted(e["position"] for e in got)
        assert receiver.bad_signatures == 0
        # Two failures of the first event, then it and the rest; the retries waited (backoff).
        first = [t for t, event in receiver.attempts if event == got[0]["id"]]
        assert len(first) == 3 and first[1] - first[0] >= 0.1 and first[2] - first[1] >= 0.2
        row = webhooks.endpoints(graph)[0]
        assert row["id"] == endpoint and row["cursor"] == outbox.head(graph) and row["attempts"] == 0
        assert "secret" not in row
    finally:
        receiver.close()


def test_types_filter_and_dead_letters_and_replay(graph: Graph, pid: str) -> None:
    receiver = Receiver(always_fail=True)
    try:
        _, secret = webhooks.create(graph, receiver.url, [ev.RESTRICTION_SET], by="test", allow_private=True)
        receiver.secret = secret
        consent.set(graph, pid, "marketing", "email", "granted", by="test")  # not for this endpoint
        restriction.restrict(graph, pid, by="test")
        with delivering(graph):
            deadline = time.monotonic() + 30
            while not webhooks.dead_letters(graph) and time.monotonic() < deadline:
                time.sleep(0.05)
            dead = webhooks.dead_letters(graph)
            assert len(dead) == 1 and dead[0]["type"] == ev.RESTRICTION_SET and dead[0]["attempts"] == 3
            assert dead[0]["last_error"] == "HTTP 503"
            assert len(receiver.attempts) == 3  # only the restriction, never the consent event
            assert webhooks.endpoints(graph)[0]["cursor"] == outbox.head(graph)  # moved past it
            # A replay that fails again goes back to the dead letters, one attempt more.
            assert webhooks.replay(graph, [dead[0]["id"]]) == 1
            deadline = time.monotonic() + 10
            while webhooks.dead_letters(graph)[0]["replay"] and time.monotonic() < deadline:
                time.sleep(0.05)
            assert webhooks.dead_letters(graph)[0]["attempts"] == 4 and len(receiver.attempts) == 4
            receiver.always_fail = False
            assert webhooks.replay(graph, [], dead[0]["endpoint_id"]) == 1
            got = receiver.wait(1)
            deadline = time.monotonic() + 10
            while webhooks.dead_letters(graph) and time.monotonic() < deadline:
                time.sleep(0.05)
        assert got[0]["type"] == ev.RESTRICTION_SET and got[0]["profile_id"] == pid
        assert webhooks.dead_letters(graph) == []
    finally:
        receiver.close()


def test_one_deliverer_holds_the_lease(graph: Graph, pid: str) -> None:
    receiver = Receiver()
    try:
        endpoint, receiver.secret = webhooks.create(graph, receiver.url, None, by="test", allow_private=True)
        with delivering(graph, holder="a") as a, delivering(graph, holder="b") as b:
            for status in ("granted", "denied"):
                consent.set(graph, pid, "marketing", "sms", status, by="test")
            got = receiver.wait(2)
            time.sleep(0.5)
            assert len(receiver.attempts) == 2  # delivered once, not once per process
            assert a.lease() != b.lease()
        assert len({e["id"] for e in got}) == 2
        assert webhooks.delete(graph, endpoint) and webhooks.endpoints(graph) == []
    finally:
        receiver.close()


def test_the_lease_holder_applies_the_outbox_retention(graph: Graph, pid: str) -> None:
    old = datetime.now(UTC) - timedelta(days=31)
    graph.write_many(outbox.enclose([], [ev.event(ev.RESTRICTION_SET, pid)], old))
    consent.set(graph, pid, "marketing", "post", "granted", by="test")  # recent: kept
    head = outbox.head(graph)
    assert any(e["at"].to_native() < datetime.now(UTC) - timedelta(days=30) for e in outbox.page(graph, 0, 100))
    deliverer = Deliverer(graph, FAST)
    try:
        assert deliverer.lease()
        deliverer.step()
    finally:
        deliverer.close()
    kept = outbox.page(graph, 0, 100)
    assert kept and all(e["at"].to_native() > datetime.now(UTC) - timedelta(days=30) for e in kept)
    assert kept[-1]["position"] == head and kept[-1]["type"] == ev.CONSENT_CHANGED


def test_a_target_rebound_to_loopback_is_never_posted_to(
    graph: Graph, pid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registered while the name resolved to a public address; by delivery it resolves to the
    receiver on 127.0.0.1. Private targets are not allowed: the delivery connects to what it
    checked at connect time, refuses, and the event goes to the dead letters, never to 127.0.0.1."""
    receiver = Receiver()
    answers = {"now": ["93.184.216.34"]}
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: answers["now"])
    try:
        url = f"http://hooks.invalid:{receiver.port}/hook"
        _, receiver.secret = webhooks.create(graph, url, None, by="test", allow_private=False)
        answers["now"] = ["127.0.0.1"]
        restriction.restrict(graph, pid, by="test")
        with delivering(graph, replace(FAST, allow_private=False)):
            deadline = time.monotonic() + 60
            while not webhooks.dead_letters(graph) and time.monotonic() < deadline:
                time.sleep(0.05)
        dead = webhooks.dead_letters(graph)
        assert len(dead) == 1 and "127.0.0.1, a private or loopback address" in dead[0]["last_error"]
        assert receiver.connections == 0 and receiver.attempts == []
    finally:
        receiver.close()


def test_a_commit_in_this_process_wakes_the_loop(graph: Graph, pid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With polling and full passes minutes apart, only the bell rung by the commit can bring the
    second event to the receiver within the wait below (the first proves the loop is up)."""
    monkeypatch.setattr(delivery, "FULL_PASS_SECONDS", 300.0)
    receiver = Receiver()
    try:
        _, receiver.secret = webhooks.create(graph, receiver.url, None, by="test", allow_private=True)
        consent.set(graph, pid, "marketing", "email", "granted", by="test")
        with delivering(graph, replace(FAST, poll_seconds=300.0, lease_seconds=900.0)):
            receiver.wait(1, timeout=60)
            consent.set(graph, pid, "marketing", "email", "denied", by="test")
            got = receiver.wait(2, timeout=60)
        assert [e["data"]["status"] for e in got] == ["granted", "denied"]
    finally:
        receiver.close()


def test_groups_share_no_profile_and_keep_position_order() -> None:
    def event(position: int, *pids: str) -> dict[str, object]:
        return {"position": position, "profile_id": pids[0], "profile_ids": list(pids)}

    page = [event(1, "a"), event(2, "b"), event(3, "c"), event(4, "b", "a"), event(5, "d"), event(6, "c")]
    found = lanes.groups(page)
    assert [[e["position"] for e in group] for group in found] == [[1, 2, 4], [3, 6], [5]]


def test_concurrent_lanes_deliver_in_order_per_profile_and_report_the_first_failure() -> None:
    events = [{"position": i, "profile_id": f"p{i % 4}", "profile_ids": [f"p{i % 4}"]} for i in range(1, 41)]
    sent: list[dict[str, Any]] = []
    lock = threading.Lock()

    def send(event: dict[str, Any]) -> str | None:
        time.sleep(0.001)
        with lock:
            sent.append(event)
        return "HTTP 503" if event["position"] in (23, 30) else None

    with ThreadPoolExecutor(4) as pool:
        failure = lanes.deliver(events, send, pool)
    assert failure is not None and failure[0]["position"] == 23 and failure[1] == "HTTP 503"
    for profile in ("p0", "p1", "p2", "p3"):
        positions = [e["position"] for e in sent if e["profile_id"] == profile]
        assert positions == sorted(positions)
    # Everything before the first failure went out; the failed lanes stopped at their failure.
    assert {e["position"] for e in sent} >= set(range(1, 23))
    assert 27 not in {e["position"] for e in sent} and 34 not in {e["position"] for e in sent}
