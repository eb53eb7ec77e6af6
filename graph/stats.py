"""What is in the graph: node counts per label and relationship counts per type."""

from graph.connection import Graph

__all__ = ["counts", "is_empty", "reset"]


def counts(graph: Graph) -> dict[str, dict[str, int]]:
    nodes = {row["label"]: row["count"] for row in graph.read("count_nodes_by_label")}
    rels = {row["type"]: row["count"] for row in graph.read("count_relationships_by_type")}
    return {"nodes": nodes, "relationships": rels}


def is_empty(graph: Graph) -> bool:
    return bool(graph.read("is_empty")[0]["empty"])


def reset(graph: Graph) -> None:
    """Delete every node and relationship (the schema stays)."""
    graph.run_auto("delete_all")
