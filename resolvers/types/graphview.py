"""Graph views for front ends: nodes and edges of a path or a neighborhood."""

import strawberry

from resolvers import ids
from resolvers.masking import mask_identifier
from resolvers.pii import ReadsPii
from resolvers.store import Row

__all__ = ["GraphEdge", "GraphNode", "GraphView", "graph_node"]


@strawberry.type(description="An entity in a graph view; fetch its details with `node(id)`.")
class GraphNode:
    id: strawberry.ID
    type: str = strawberry.field(description="Profile, SourceRecord, Identifier, Household, Organization...")
    label: str = strawberry.field(extensions=[ReadsPii()])
    subjects: strawberry.Private[list[str]]
    """Whose name or record the label shows: profiles and records (an identifier's label is
    accounted to the records around it in the view)."""

    def pii_subjects(self) -> list[str]:
        return self.subjects


@strawberry.type(description="A relationship in a graph view, from `source` to `target`.")
class GraphEdge:
    type: str
    source: strawberry.ID
    target: strawberry.ID


@strawberry.type
class GraphView:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(description="True when the limit cut the view short.")


# Node label -> (API type, key property). Labels off this list never appear in a view.
_TYPES = (
    ("Profile", "Profile", "pid"),
    ("Customer", "SourceRecord", "uid"),
    ("Identifier", "Identifier", "key"),
    ("Household", "Household", "hid"),
    ("Organization", "Organization", "uid"),
    ("Account", "Account", "uid"),
    ("Device", "Device", "uid"),
    ("Touchpoint", "Touchpoint", "uid"),
)


def graph_node(row: Row, *, masked_with: bytes | None) -> GraphNode | None:
    """The view of one element row (`labels`, `props`), personal data masked for apps (those
    given the id key `masked_with`)."""
    masked = masked_with is not None
    props = row["props"]
    for label, type_name, key in _TYPES:
        if label in row["labels"] and props.get(key):
            node_id = (
                ids.identifier_id(props[key], masked_with=masked_with)
                if type_name == "Identifier"
                else ids.encode(type_name, props[key])
            )
            subjects = [props[key]] if type_name in ("Profile", "SourceRecord") else []
            return GraphNode(
                id=strawberry.ID(node_id), type=type_name, label=_label(type_name, props, masked), subjects=subjects
            )
    return None


def _label(type_name: str, props: Row, masked: bool) -> str:
    if type_name == "Profile":
        return str(props.get("display_name") or props["pid"])
    if type_name == "SourceRecord":
        return f"{props.get('source')} record" if masked else props["uid"]
    if type_name == "Identifier":
        value = mask_identifier(props["kind"], props["value"]) if masked else props["value"]
        return f"{props['kind']}: {value}"
    if type_name == "Household":
        return str(props.get("address") or props["hid"])
    if type_name == "Organization":
        return str(props.get("name") or props["uid"])
    if type_name == "Account":
        return f"{props.get('account_type') or ''} account".strip()
    if type_name == "Device":
        return props.get("device_type") or "device"
    return " ".join(str(p) for p in (props.get("channel"), props.get("type")) if p) or "touchpoint"
