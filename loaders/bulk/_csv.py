"""Write a fold as the CSV files `neo4j-admin database import full` reads: one file per label
and relationship type, typed headers, each label its own id space."""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.model import ENTITY_LABELS, RELATIONSHIPS
from loaders.bulk._fold import Fold

__all__ = ["ImportFiles", "write"]


@dataclass(frozen=True)
class ImportFiles:
    nodes: list[tuple[str, Path]]
    relationships: list[tuple[str, Path]]
    node_count: int
    relationship_count: int


def _type(kinds: set[type]) -> str:
    if not kinds:
        return "string"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {datetime}:
        return "datetime"
    if kinds <= {date}:
        return "date"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cells(values: list[Any], kinds: set[type]) -> list[Any]:
    """One column's cells as the csv module writes them. Whole columns at a time: most need no
    conversion at all, and the rest one comprehension rather than a call per cell."""
    if kinds <= {datetime} or kinds <= {date}:
        return [None if v is None else v.isoformat() for v in values]
    if kinds <= {bool}:
        return [None if v is None else ("true" if v else "false") for v in values]
    if kinds & {bool, date, datetime}:
        return [_cell(v) for v in values]
    return values


def _write(path: Path, key_header: list[str], keys: list[list[Any]], rows: list[dict[str, Any]], skip: str) -> int:
    """`keys` are the id columns (one list each), `rows` the properties, less the one named `skip`."""
    names: set[str] = set().union(*rows) if rows else set()
    names.discard(skip)
    header = list(key_header)
    columns = list(keys)
    for name in sorted(names):
        values = [props.get(name) for props in rows]
        kinds = set(map(type, values))
        kinds.discard(type(None))
        kind = _type(kinds)
        header.append(f"{name}:{kind}" if kind != "string" else name)
        columns.append(_cells(values, kinds))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(zip(*columns, strict=True))
    return len(rows)


def write(fold: Fold, directory: Path) -> ImportFiles:
    directory.mkdir(parents=True, exist_ok=True)
    nodes: list[tuple[str, Path]] = []
    rels: list[tuple[str, Path]] = []
    node_count = rel_count = 0
    for label in sorted(fold.nodes):
        path = directory / f"nodes-{label}.csv"
        props = [node.props for node in fold.nodes[label].values()]
        node_count += _write(path, [f"uid:ID({label})"], [[p["uid"] for p in props]], props, "uid")
        nodes.append((label, path))
    if fold.identifiers:
        path = directory / "nodes-Identifier.csv"
        items = list(fold.identifiers.values())
        node_count += _write(path, ["key:ID(Identifier)"], [[item["key"] for item in items]], items, "key")
        nodes.append(("Identifier", path))
    links = [
        (uid, key, {"source": node.props["source"], "first_seen": first, "last_seen": node.identifiers_last[key]})
        for uid, node in fold.nodes.get("Customer", {}).items()
        for key, first in node.identifiers.items()
    ]
    # Derived keys' links, as resolution writes them (queries/resolve_write_derived.cypher).
    links += [
        (uid, key, {"source": "derived", "first_seen": fold.now, "last_seen": fold.now})
        for uid, node in fold.nodes.get("Customer", {}).items()
        for key in node.derived
    ]
    if links:
        path = directory / "rels-HAS_IDENTIFIER.csv"
        ends = [[start for start, _, _ in links], [end for _, end, _ in links]]
        rel_count += _write(path, [":START_ID(Customer)", ":END_ID(Identifier)"], ends, [p for _, _, p in links], "")
        rels.append(("HAS_IDENTIFIER", path))
    for name in sorted(fold.relationships):
        spec = RELATIONSHIPS[name]
        start, end = ENTITY_LABELS[spec.start], ENTITY_LABELS[spec.end]
        edges = list(fold.relationships[name].values())
        ends = [[edge.start for edge in edges], [edge.end for edge in edges]]
        path = directory / f"rels-{name}.csv"
        rel_count += _write(path, [f":START_ID({start})", f":END_ID({end})"], ends, [e.props for e in edges], "")
        rels.append((name, path))
    return ImportFiles(nodes, rels, node_count, rel_count)
