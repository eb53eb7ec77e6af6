"""Trained models live in Neo4j as `(:MatchModel {version, json, definition, active})` nodes.

In the graph rather than in a file, because every process that resolves (CLI loads, API
workers, steward commands, on any machine) must score with the same model without sharing a
file system, and because a model belongs with the data it was trained on: backed up and
restored with it. Versions are never overwritten; each scored link names its version.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph.connection import Graph
from graph.identity.scoring.definition import ScoringRules

__all__ = ["Model", "active", "definition", "models", "save"]


@dataclass(frozen=True)
class Model:
    version: str
    settings: dict[str, Any]  # Splink's model JSON
    definition: str
    trained_at: str = ""
    records: int = 0


def definition(rules: ScoringRules) -> str:
    """What a model's parameters depend on; thresholds and training options may change freely."""
    relevant = rules.model_dump(include={"comparisons", "blocking", "max_block"})
    return json.dumps(relevant, sort_keys=True, separators=(",", ":"))


def save(graph: Graph, rules: ScoringRules, settings: dict[str, Any], records: int) -> str:
    text = json.dumps(settings, sort_keys=True)
    now = datetime.now(UTC)
    version = f"match-{now:%Y%m%dT%H%M%S}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    graph.write(
        "scoring_model_save", version=version, json=text, definition=definition(rules), now=now, records=records
    )
    return version


def active(graph: Graph) -> Model | None:
    rows = graph.read("scoring_model_active")
    if not rows:
        return None
    row = rows[0]
    return Model(row["version"], json.loads(row["json"]), row["definition"], row["trained_at"], row["records"])


def models(graph: Graph, versions: list[str]) -> dict[str, dict[str, Any]]:
    """Splink model JSON by version."""
    rows = graph.read("scoring_model_versions", versions=sorted(set(versions)))
    return {row["version"]: json.loads(row["json"]) for row in rows}
