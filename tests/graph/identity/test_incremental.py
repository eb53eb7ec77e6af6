"""Property: any split and order of the same input, resolved incrementally, equals a full rebuild."""

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import stats
from graph.connection import Graph
from graph.identity import load_rules, resolve
from loaders.sample import generate
from tests.graph.identity.conftest import load_dir, partition

FILES = [
    "crm_organizations.csv",
    "crm_contacts.csv",
    "shop_customers.jsonl",
    "shop_accounts.csv",
    "shop_orders.jsonl",
    "web_events.jsonl",
    "email_events.csv",
    "support_tickets.csv",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate(120, 3, out)
    return out


def _batches(source: Path, target: Path, seed: int, parts: int) -> list[Path]:
    """Split every file's rows at random into `parts` batches, shuffled, in shuffled file order."""
    rng = random.Random(seed)
    folders = [target / f"batch{i}" for i in range(parts)]
    for folder in folders:
        folder.mkdir(parents=True)
    for name in FILES:
        lines = (source / name).read_text(encoding="utf-8").splitlines(keepends=True)
        header, body = (lines[:1], lines[1:]) if name.endswith(".csv") else ([], lines)
        rng.shuffle(body)
        for i, folder in enumerate(folders):
            (folder / name).write_text("".join(header + body[i::parts]), encoding="utf-8")
    for folder in folders:
        order = FILES[:]
        rng.shuffle(order)
        manifest = "".join(f'[[files]]\npath = "{n}"\nmapping = "{n.split(".")[0]}"\n' for n in order)
        (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folders


@pytest.fixture(scope="module")
def reference(session_graph: Graph, small: Path, tmp_path_factory: pytest.TempPathFactory) -> set[frozenset[str]]:
    stats.reset(session_graph)
    load_dir(session_graph, small, tmp_path_factory.mktemp("q") / "q.jsonl")
    resolve(session_graph, load_rules(), full=True)
    return partition(session_graph)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), parts=st.integers(2, 4))
def test_incremental_in_any_order_equals_full(
    session_graph: Graph, small: Path, reference: set[frozenset[str]], tmp_path: Path, seed: int, parts: int
) -> None:
    work = tmp_path / f"run{seed}-{parts}"
    shutil.rmtree(work, ignore_errors=True)
    stats.reset(session_graph)
    for folder in _batches(small, work, seed, parts):
        load_dir(session_graph, folder, work / "q.jsonl")
        resolve(session_graph, load_rules())
    incremental = partition(session_graph)
    assert incremental == reference
    resolve(session_graph, load_rules(), full=True)
    assert partition(session_graph) == reference
