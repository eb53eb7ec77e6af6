"""The managed server for real: a second instance with its own home and ports."""

import os
import socket
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import neo4j
import pytest

from c360.runtime import managed_server
from c360.settings import Settings
from graph.server import ManagedNeo4j, Neo4jServerError
from graph.server._java import find_java, java_major, supported_java

PORTS = (
    int(os.environ.get("C360_TEST_SPARE_BOLT_PORT", "7689")),
    int(os.environ.get("C360_TEST_SPARE_HTTP_PORT", "7476")),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedNeo4j]:
    home = tmp_path_factory.mktemp("c360home")
    settings = Settings(
        home=home, neo4j_bolt_port=PORTS[0], neo4j_http_port=PORTS[1], neo4j_heap="512m", neo4j_pagecache="256m"
    )
    managed = managed_server(settings)
    yield managed
    managed.stop()


def _run(server: ManagedNeo4j, text: str) -> list[neo4j.Record]:
    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password())) as driver:
        return driver.execute_query(text).records  # type: ignore[arg-type]


def test_start_restart_keeps_data_and_reuses(server: ManagedNeo4j) -> None:
    first = server.start()
    assert first.running and first.pid
    assert server.start().pid == first.pid  # idempotent: the running server is reused
    _run(server, "CREATE (:Probe {n: 42})")
    assert server.stop() is True
    assert not server.status().running
    assert server.stop() is False
    second = server.start()
    assert second.pid != first.pid
    assert [r["n"] for r in _run(server, "MATCH (p:Probe) RETURN p.n AS n")] == [42]


def test_password_is_generated_private_and_required(server: ManagedNeo4j) -> None:
    server.start()
    mode = stat.S_IMODE(server.password_file.stat().st_mode)
    assert mode == 0o600
    assert len(server.password()) >= 24
    with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "neo4j")) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()


def test_stale_pid_file_is_recovered(server: ManagedNeo4j) -> None:
    server.stop()
    server.pid_file.parent.mkdir(parents=True, exist_ok=True)
    server.pid_file.write_text("999999")
    assert not server.status().running
    assert not server.pid_file.exists()
    assert server.start().running


def test_port_taken_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        other = ManagedNeo4j(tmp_path, "5.26.30", taken, taken + 1, "512m", "256m")
        with pytest.raises(Neo4jServerError, match=f"port {taken} .* C360_NEO4J_BOLT_PORT"):
            other.start()


def test_not_enough_memory_is_a_clear_error(server: ManagedNeo4j, tmp_path: Path) -> None:
    greedy = replace(server, root=tmp_path, heap="4000g", bolt_port=_free_port(), http_port=_free_port())
    with pytest.raises(Neo4jServerError, match="not enough free memory"):
        greedy.start()


def test_password_before_first_start_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Neo4jServerError, match="never started"):
        ManagedNeo4j(tmp_path, "5.26.30", 1, 2, "1g", "1g").password()


def test_java_selection() -> None:
    assert 17 in supported_java("5.26.30") and 21 in supported_java("5.26.30")
    assert 17 not in supported_java("2025.10.1")
    java = find_java(None, "5.26.30")
    assert java_major(java) in supported_java("5.26.30")
    assert java_major(Path("/nonexistent/java")) is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
