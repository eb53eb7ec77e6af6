import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine

Feed = Callable[[str, list[dict[str, Any]]], LoadSummary]


@pytest.fixture
def feed(graph: Graph, tmp_path: Path) -> Feed:
    """Load rows with a built-in mapping through the real pipeline (JSON lines)."""
    counter = iter(range(10**6))

    def run(mapping: str, rows: list[dict[str, Any]]) -> LoadSummary:
        path = tmp_path / f"{mapping}-{next(counter)}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        with Quarantine(tmp_path / "q.jsonl") as quarantine:
            summary = load(graph, plan([path], mapping, None), quarantine, LoadOptions())
        assert summary.rows_quarantined == 0, (tmp_path / "q.jsonl").read_text()
        return summary

    return run


def profile(graph: Graph, uid: str) -> dict[str, Any]:
    rows = graph.read("profile_of_records", uids=[uid])
    pid = rows[0]["pid"]
    found = graph.read("api_profiles_by_pid", pids=[pid])
    return dict(found[0]["profile"])
