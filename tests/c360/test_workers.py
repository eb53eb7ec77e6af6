"""`c360 serve --workers 2` as a user runs it: a real supervisor process, real workers, real Neo4j."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from c360.settings import Settings
from graph.connection import Graph
from resolvers import apikeys

VIEWER = {"query": "query Who { viewer { role } }"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> set[int]:
    return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but not yet been reaped is a zombie, not a server.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def supervisor(settings: Settings, graph: Graph) -> Iterator[tuple[subprocess.Popen[bytes], str, str]]:
    port = free_port()
    env = os.environ | {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from c360.cli import main; main()", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: ready(url) and len(children_serving(process.pid)) == 2, 180)
        yield process, url, apikeys.create(graph, "app", "workers").key
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def children_serving(pid: int) -> set[int]:
    """Worker processes (multiprocessing also starts a resource tracker, which serves nothing)."""
    return {c for c in children(pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()}


def graphql_requests(metrics: str) -> float:
    line = next(
        line
        for line in metrics.splitlines()
        if line.startswith('c360_http_requests_total{route="/graphql",status="200"}')
    )
    return float(line.rsplit(" ", 1)[1])


def test_metrics_count_every_worker_and_a_dead_worker_is_replaced(supervisor) -> None:
    process, url, key = supervisor
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(30):  # a new connection each: the kernel spreads them over both workers
        response = httpx.post(f"{url}/graphql", json=VIEWER, headers=headers)
        assert response.json() == {"data": {"viewer": {"role": "app"}}}
    # whichever worker answers, it reports all of them
    assert {graphql_requests(httpx.get(f"{url}/metrics", headers=headers).text) for _ in range(6)} == {30.0}

    workers = children_serving(process.pid)
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: len(children_serving(process.pid) - {victim}) == 2)
    wait_for(lambda: ready(url))
    assert process.poll() is None


def test_sigterm_stops_the_workers_and_the_supervisor(supervisor) -> None:
    process, url, _ = supervisor
    workers = children_serving(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in workers)
    assert not ready(url)


def test_workers_outlive_no_supervisor_killed_outright(supervisor) -> None:
    process, url, _ = supervisor
    workers = children_serving(process.pid)
    process.kill()
    process.wait()
    wait_for(lambda: not any(alive(pid) for pid in workers), 60)
    assert not ready(url)


def test_a_worker_that_cannot_start_stops_the_supervisor(settings: Settings, graph: Graph) -> None:
    with socket.socket() as taken:  # no SO_REUSEPORT: the workers cannot bind next to it
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = os.environ | {
            "C360_HOME": str(settings.home),
            "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
            "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        }
        result = subprocess.run(
            [sys.executable, "-c", "from c360.cli import main; main()", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "while starting" in result.stderr
