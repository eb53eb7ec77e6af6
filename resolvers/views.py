"""path() and neighborhood(): graph views around entities, bounded in depth and size."""

from resolvers.context import Context
from resolvers.store import Row
from resolvers.types.graphview import GraphEdge, GraphNode, GraphView, graph_node

__all__ = ["MAX_NEIGHBORHOOD", "MAX_NEIGHBORHOOD_DEPTH", "MAX_PATH_DEPTH", "neighborhood", "path"]

MAX_PATH_DEPTH = 6
MAX_NEIGHBORHOOD_DEPTH = 3
MAX_NEIGHBORHOOD = 500


async def _elements(context: Context, refs: list[tuple[str, str]]) -> list[Row | None]:
    """Graph elements of (type, key) refs; None for missing ones and ones hidden from the caller."""
    rows = await context.store.read("api_entities_by_key", refs=[{"type": t, "key": k} for t, k in refs])
    found = {(r["type"], r["key"]): r for r in rows if context.see_restricted or not r["hidden"]}
    return [found.get(ref) for ref in refs]


async def path(context: Context, start: tuple[str, str], end: tuple[str, str], max_depth: int) -> GraphView | None:
    a, b = await _elements(context, [start, end])
    if a is None or b is None:
        return None
    if a["element_id"] == b["element_id"]:
        node = graph_node(a, masked_with=context.id_mask)
        return GraphView(nodes=[node] if node else [], edges=[], truncated=False)
    rows = await context.store.read(
        "api_path",
        **{"from": a["element_id"], "to": b["element_id"]},
        max_depth=max_depth,
        see_restricted=context.see_restricted,
    )
    if not rows:
        return None
    return _view(context, rows[0]["nodes"], rows[0]["edges"], truncated=False)


async def neighborhood(context: Context, start: tuple[str, str], depth: int, limit: int) -> GraphView | None:
    (origin,) = await _elements(context, [start])
    if origin is None:
        return None
    nodes: dict[str, Row] = {origin["element_id"]: origin}
    edges: dict[tuple[str, str, str], Row] = {}
    frontier = [origin["element_id"]]
    truncated = False
    for _ in range(depth):
        if not frontier:
            break
        # Twice the node budget in relationships: room for edges between nodes already shown.
        budget = 2 * limit
        rows = await context.store.read(
            "api_neighborhood_step", frontier=frontier, limit=budget, see_restricted=context.see_restricted
        )
        truncated = truncated or len(rows) >= budget
        reached = []
        for row in rows:
            element = row["node"]["element_id"]
            if element not in nodes:
                if len(nodes) >= limit:
                    truncated = True
                    continue
                nodes[element] = row["node"]
                reached.append(element)
            edge = row["edge"]
            edges[(edge["start"], edge["type"], edge["end"])] = edge
        frontier = reached
    return _view(context, list(nodes.values()), list(edges.values()), truncated)


def _view(context: Context, rows: list[Row], edges: list[Row], truncated: bool) -> GraphView:
    shown: dict[str, GraphNode] = {}
    for row in rows:
        node = graph_node(row, masked_with=context.id_mask)
        if node is not None:
            shown[row["element_id"]] = node
    return GraphView(
        nodes=list(shown.values()),
        edges=[
            GraphEdge(type=e["type"], source=shown[e["start"]].id, target=shown[e["end"]].id)
            for e in edges
            if e["start"] in shown and e["end"] in shown
        ],
        truncated=truncated,
    )
