"""Constraints and indexes: every `queries/schema_*.cypher` statement, applied idempotently."""

from typing import Any

import queries
from graph.connection import Graph

__all__ = ["apply", "describe", "statements"]


def statements() -> list[str]:
    return [name for name in queries.names() if name.startswith("schema_")]


def apply(graph: Graph, wait_seconds: int = 300) -> list[str]:
    """Create what is missing (each statement says IF NOT EXISTS) and wait until indexes are online.
    A full-text index from before it became eventually consistent is dropped and rebuilt once."""
    applied = statements()
    if any(row["consistent"] for row in graph.read("search_index_consistent")):
        graph.run_auto("search_index_drop")
    for name in applied:
        graph.run_auto(name)
    graph.run_auto("await_indexes", seconds=wait_seconds)
    return applied


def describe(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("list_schema")
