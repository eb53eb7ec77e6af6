"""The fitted trait model: configuration, RFM cut points and CLV parameters, kept in the graph.

One `(:TraitModel {name: "traits"})` node holds it as JSON, written by `refresh_all`, read by
every incremental refresh (which therefore needs no configuration of its own).
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.connection import Graph
from graph.traits.config import TraitConfig

__all__ = ["TraitModel", "load", "save"]

_NAME = "traits"


@dataclass(frozen=True)
class TraitModel:
    config: TraitConfig = field(default_factory=TraitConfig)
    rfm: dict[str, Any] | None = None
    clv: dict[str, Any] | None = None
    fitted_at: datetime | None = None


def load(graph: Graph) -> TraitModel:
    rows = graph.read("traits_model_get", model=_NAME)
    body = rows[0]["body"] if rows else None
    if not body:
        return TraitModel()
    data = json.loads(body)
    fitted = rows[0]["fitted_at"]
    return TraitModel(
        config=TraitConfig.from_dict(data.get("config") or {}),
        rfm=data.get("rfm"),
        clv=data.get("clv"),
        fitted_at=fitted.to_native() if fitted is not None else None,
    )


def save(graph: Graph, model: TraitModel) -> None:
    body = json.dumps({"config": model.config.to_dict(), "rfm": model.rfm, "clv": model.clv}, sort_keys=True)
    graph.write("traits_model_set", model=_NAME, body=body, now=datetime.now(UTC))
