"""`c360 up`, the main job, end to end in its own process: an empty graph gets the sample,
resolution and traits, and the GraphQL API serves it until Ctrl-C."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from c360.settings import Settings
from graph.connection import Graph
from resolvers import apikeys
from tests.c360.test_workers import free_port, ready, wait_for


def _count(graph: Graph, text: str) -> int:
    with graph.driver.session(database=graph.database) as session:
        return int(session.run(text).single(strict=True)[0])


def test_up_loads_resolves_and_serves_an_empty_graph(settings: Settings, graph: Graph, tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        "C360_API_PORT": str(port),
    }
    log = tmp_path / "up.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from c360.cli import main; main()", "up", "--people", "40", "--seed", "3"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: ready(url) or process.poll() is not None, 300)
            assert process.poll() is None, log.read_text()
            profiles = _count(graph, "MATCH (p:Profile) RETURN count(p)")
            assert 0 < profiles <= _count(graph, "MATCH (c:Customer) RETURN count(c)")
            assert _count(graph, "MATCH (c:Customer) WHERE c.pending IS NOT NULL RETURN count(c)") == 0
            assert _count(graph, "MATCH (p:Profile) WHERE p.traits_pending = true RETURN count(p)") == 0
            key = apikeys.create(graph, "steward", "up-test").key
            answer = httpx.post(
                f"{url}/graphql",
                json={"query": "{ profiles { totalCount } }"},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            ).json()
            assert answer == {"data": {"profiles": {"totalCount": profiles}}}, answer
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl-C: the server stops cleanly
            code = process.wait(timeout=60)
    output = log.read_text()
    # 130: the shell's status for a job stopped by Ctrl-C, after the server shut down cleanly.
    assert code == 130 and "Application shutdown complete" in output, output
    assert "graph is empty: generating 40 people" in output and "serving GraphQL on" in output
    # Nothing dumped on the console by libraries (scipy's optimizer result, warnings).
    assert "Traceback" not in output and "OptimizeResult" not in output and "Warning" not in output, output
