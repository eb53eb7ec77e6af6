from collections.abc import Callable
from pathlib import Path

import pytest

from graph.connection import Graph
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine
from loaders.sample import generate

Loader = Callable[..., LoadSummary]


@pytest.fixture
def load_csv(graph: Graph, tmp_path: Path) -> Loader:
    """Load person rows (source_id, email, phone, ...) through the real pipeline."""
    counter = iter(range(10**6))

    def run(rows: list[dict[str, str]], *, source: str = "crm", mapping: str = "customers") -> LoadSummary:
        columns = sorted({key for row in rows for key in row})
        path = tmp_path / f"batch{next(counter)}.csv"
        lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with Quarantine(tmp_path / "q.jsonl") as quarantine:
            return load(graph, plan([path], mapping, source), quarantine, LoadOptions())

    return run


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(800, 7, out)
    return out


def load_dir(graph: Graph, folder: Path, quarantine: Path) -> LoadSummary:
    with Quarantine(quarantine) as q:
        return load(graph, plan([folder], None, None), q, LoadOptions())


def partition(graph: Graph) -> set[frozenset[str]]:
    rows = graph.driver.execute_query(
        "MATCH (p:Profile)-[:HAS_RECORD]->(c:Customer) RETURN p.pid AS pid, collect(c.uid) AS uids",
        database_=graph.database,
    ).records
    return {frozenset(r["uids"]) for r in rows}


def profile_of(graph: Graph, uid: str) -> str:
    rows = graph.read("profile_of_records", uids=[uid])
    assert rows[0]["pid"] is not None
    return str(rows[0]["pid"])
