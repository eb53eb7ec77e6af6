"""Shared by the scoring tests: a mapping with a national id, corrupted people, a trained model."""

from pathlib import Path
from typing import Any

from bench.corrupt_people import people
from graph.connection import Graph
from graph.identity import load_rules
from graph.identity.rules import MatchRules
from graph.identity.scoring import engine, train
from graph.identity.scoring.table import frame
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine

MAPPING = """
source = "people"
[[entities]]
name = "customer"
kind = "person"
id = "source_id"
identifiers = { email = "email", national_id = "national_id" }
[entities.fields]
first_name = "first_name"
last_name = "last_name"
birth_date = "birth_date"
street = "street"
postcode = "postcode"
"""
COLUMNS = ["source_id", "first_name", "last_name", "birth_date", "street", "postcode", "email", "national_id"]
RULES: MatchRules = load_rules()
SCORING = RULES.scoring_on
assert SCORING is not None
TRAINING = SCORING.model_copy(update={"u_max_pairs": 2e5})


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(COLUMNS)] + [",".join(row.get(c, "") for c in COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_people(graph: Graph, folder: Path, rows: list[dict[str, str]], name: str = "batch") -> None:
    mapping = folder / "people.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = write_csv(folder / f"{name}.csv", rows)
    with Quarantine(folder / "q.jsonl") as quarantine:
        summary = load(graph, plan([path], str(mapping), None), quarantine, LoadOptions())
    assert summary.rows_loaded == len(rows), summary


def corrupted(n: int, seed: int = 1) -> list[dict[str, str]]:
    return [row for _, row in people(n, seed)]


def trained(graph: Graph, folder: Path) -> dict[str, Any]:
    """A model trained on 300 corrupted people (about 750 records); the graph is left loaded."""
    load_people(graph, folder, corrupted(300), "training")
    report = train.train(graph, TRAINING)
    assert report.records > 500
    from graph.identity.scoring import store

    model = store.active(graph)
    assert model is not None and model.version == report.version
    return model.settings


def probability(model: dict[str, Any], a: dict[str, str], b: dict[str, str]) -> float:
    """What the model says about two rows (outside the graph)."""
    assert SCORING is not None
    rows = [
        {
            "uid": f"x:{i}",
            "attrs": {k: v for k, v in r.items() if v and k not in ("national_id", "email")},
            "identifiers": {k: r[k] for k in ("national_id", "email") if r.get(k)},
        }
        for i, r in enumerate((a, b))
    ]
    pairs = engine.predict(model, frame(SCORING, rows), 0.0)
    return pairs[0].probability if pairs else 0.0
