"""Tests run against a real Neo4j: NEO4J_URI when set, else a managed server started here.

The managed test server lives in .c360-test (C360_TEST_HOME) on ports 7688/7475
(C360_TEST_BOLT_PORT / C360_TEST_HTTP_PORT), apart from a developer's `c360 up` server.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360.runtime import connect
from c360.settings import Settings
from graph import schema, stats
from graph.connection import Graph
from graph.server import managed_server

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
