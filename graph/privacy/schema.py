"""Constraints and indexes of the privacy model (`queries/privacy_schema_*.cypher`).

Kept apart from `graph/schema.py` because that module applies `schema_*` statements only;
privacy commands apply these themselves (idempotent, IF NOT EXISTS).
"""

import queries
from graph.connection import Graph

__all__ = ["apply", "statements"]


def statements() -> list[str]:
    return [name for name in queries.names() if name.startswith("privacy_schema_")]


def apply(graph: Graph, wait_seconds: int = 300) -> list[str]:
    applied = statements()
    for name in applied:
        graph.run_auto(name)
    graph.run_auto("await_indexes", seconds=wait_seconds)
    return applied
