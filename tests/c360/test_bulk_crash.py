"""`c360 load --bulk` killed with -9 during its import: the importer dies with it (no orphan left
writing the store), and the next `--bulk` replaces what it left and finishes; a database that
holds anything else is still refused."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from c360.runtime import managed_server
from c360.settings import Settings
from graph.server import ManagedNeo4j
from loaders.sample import generate
from tests.c360.test_workers import wait_for
from tests.loaders.test_bulk import PORTS


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "home"
    settings = Settings(home=tmp_path / "home", neo4j_bolt_port=PORTS[0], neo4j_http_port=PORTS[1])
    managed_server(settings).stop()


def _importers(home: Path) -> list[int]:
    """Live neo4j-admin import processes writing this home's database."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            continue
        if "AdminTool" in cmdline and str(home) in cmdline and "import" in cmdline:
            found.append(int(pid))
    return found


def _count(server: ManagedNeo4j, text: str) -> int:
    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password())) as driver:
        return int(driver.execute_query(text).records[0][0])


def test_a_bulk_load_killed_during_its_import_is_started_over(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(300, 11, data)
    env = os.environ | {
        "C360_HOME": str(home),
        "C360_NEO4J_BOLT_PORT": str(PORTS[0]),
        "C360_NEO4J_HTTP_PORT": str(PORTS[1]),
        "C360_NEO4J_HEAP": "512m",
        "C360_NEO4J_PAGECACHE": "256m",
    }
    command = [sys.executable, "-c", "from c360.cli import main; main()", "load", str(data), "--bulk"]
    marker = home / "bulk" / "in-progress.json"
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: bool(_importers(home)) or first.poll() is not None, 240)
        assert first.poll() is None, "the load ended before its import could be interrupted"
        assert json.loads(marker.read_text())["phase"] == "importing"
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    deadline = time.monotonic() + 30
    while _importers(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _importers(home) == []  # the importer died with its parent

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "interrupted during its import: starting over" in again.stdout
    assert not marker.exists()
    server = managed_server(Settings(home=home, neo4j_bolt_port=PORTS[0], neo4j_http_port=PORTS[1]))
    customers = _count(server, "MATCH (c:Customer) RETURN count(c)")
    assert customers > 300 and _count(server, "MATCH (p:Profile) RETURN count(p)") > 0
    assert _count(server, "MATCH (c:Customer) WHERE c.pending IS NOT NULL RETURN count(c)") == 0
    assert len(list((home / "bulk").iterdir())) == 1  # the killed run's files are gone

    # Finished, the marker is gone: a database with data is refused as before.
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert refused.returncode == 2 and "empty database" in refused.stdout + refused.stderr
    assert _count(server, "MATCH (c:Customer) RETURN count(c)") == customers
