"""Real-time writes from two server processes, threads, a batch load and steward operations at
once, against the real Neo4j: afterwards every invariant of the identity graph holds."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from c360.settings import Settings
from graph.connection import Graph
from graph.identity import invariants, load_rules, resolve, steward
from resolvers import apikeys
from tests.c360.test_workers import children_serving, free_port, ready, wait_for
from tests.graph.identity.conftest import Loader, load_csv  # noqa: F401, F811 - the fixture
from tests.graph.identity.test_write_path import event, people

RULES = load_rules()


@pytest.fixture
def two_workers(settings: Settings, graph: Graph) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = os.environ | {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        "C360_EVENTS_WAIT_SECONDS": "120",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from c360.cli import main; main()", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: ready(url) and len(children_serving(process.pid)) == 2, 90)
        yield url, apikeys.create(graph, "admin", "events").key
    finally:
        process.kill()
        process.wait()


def test_overlapping_events_from_two_processes_with_a_load_and_stewards(
    graph: Graph,
    load_csv: Loader,  # noqa: F811
    two_workers: tuple[str, str],
    tmp_path: Path,
) -> None:
    url, key = two_workers
    load_csv(people(10))
    resolve(graph, RULES)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(worker: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=180) as client:
            for k in range(8):
                n = worker * 100 + k
                row = event(n, (n * 3) % 10, (n * 7 + 1) % 10)
                statuses.append(client.post("/events", json={"mapping": "customers", "row": row}).status_code)

    def side_work() -> None:
        try:
            load_csv(people(120, "b") + [{"source_id": "b-link", "phone": "+447911100002"}])
            resolve(graph, RULES)
            steward.unlink(graph, "crm:p1", "crm:p2", by="test", reason="race", rules=RULES)
            steward.link(graph, "crm:p5", "crm:p6", by="test", reason="race", rules=RULES)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(12)]
    threads.append(threading.Thread(target=side_work))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert statuses == [200] * 96
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        metrics = client.get("/metrics").text
    assert "c360_pending_records 0" in metrics and "c360_microbatch_last_seconds" in metrics
    found = invariants.check(graph, RULES)
    assert not found, found.summary()
