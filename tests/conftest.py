"""Tests run against a real Neo4j: NEO4J_URI when set, else a managed server started here.

The managed test server lives in .c360-test (C360_TEST_HOME) on ports 7688/7475
(C360_TEST_BOLT_PORT / C360_TEST_HTTP_PORT), apart from a developer's `c360 up` server.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import queries
from c360.runtime import connect, managed_server
from c360.settings import Settings
from graph import schema, stats
from graph.connection import Graph, Ledger

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(
        home=Path(os.environ.get("C360_TEST_HOME", ROOT / ".c360-test")),
        neo4j_bolt_port=int(os.environ.get("C360_TEST_BOLT_PORT", "7688")),
        neo4j_http_port=int(os.environ.get("C360_TEST_HTTP_PORT", "7475")),
        neo4j_heap=os.environ.get("C360_TEST_NEO4J_HEAP", "1g"),
        neo4j_pagecache=os.environ.get("C360_TEST_NEO4J_PAGECACHE", "1g"),
    )


@pytest.fixture(scope="session")
def neo4j_server(settings: Settings) -> Iterator[None]:
    if not settings.managed:
        yield
        return
    server = managed_server(settings)
    was_running = server.status().running
    server.start()
    yield
    if not was_running:
        server.stop()


@pytest.fixture(scope="session")
def session_graph(settings: Settings, neo4j_server: None) -> Iterator[Graph]:
    graph = connect(settings, start=False)
    schema.apply(graph)
    yield graph
    graph.close()


@pytest.fixture
def graph(session_graph: Graph) -> Graph:
    """The test database, emptied before each test that uses it."""
    stats.reset(session_graph)
    return session_graph


_GRAPHS: list[Ledger] = []


@pytest.fixture(autouse=True, scope="session")
def _track_graphs() -> Iterator[None]:
    """Remember every connection (Graph, AsyncGraph) the tests open, to check that each catalog
    query ran."""
    original = Ledger.__init__

    def init(self: Ledger) -> None:
        original(self)
        _GRAPHS.append(self)

    Ledger.__init__ = init  # type: ignore[method-assign]
    yield
    Ledger.__init__ = original  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A full, green run must have executed every statement in queries/ at least once."""
    config = session.config
    partial = config.getoption("file_or_dir") or config.getoption("keyword") or config.getoption("markexpr")
    if exitstatus != 0 or partial or session.testsfailed:
        return
    ran = set().union(*(graph.statements for graph in _GRAPHS)) if _GRAPHS else set()
    missing = sorted(set(queries.names()) - ran)
    if missing:
        print(f"\nqueries never executed by any test: {', '.join(missing)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
