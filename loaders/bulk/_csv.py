"""Write a fold as the CSV files `neo4j-admin database import full` reads: one file per label
and relationship type, typed headers, each label its own id space."""

import csv
from collections.abc import Iterable, Iterator
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


def _type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
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


def _write(path: Path, key_header: list[str], rows: list[tuple[list[Any], dict[str, Any]]]) -> int:
    columns = sorted({name for _, props in rows for name in props})
    types = {name: _type(props.get(name) for _, props in rows) for name in columns}
    header = key_header + [f"{name}:{types[name]}" if types[name] != "string" else name for name in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for key_values, props in rows:
            out.writerow([*key_values, *(_cell(props.get(name)) for name in columns)])
    return len(rows)


def _node_rows(nodes: Iterable[Any], id_property: str) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    for node in nodes:
        props = dict(node.props)
        yield [props.pop(id_property)], props


def write(fold: Fold, directory: Path) -> ImportFiles:
    directory.mkdir(parents=True, exist_ok=True)
    nodes: list[tuple[str, Path]] = []
    rels: list[tuple[str, Path]] = []
    node_count = rel_count = 0
    for label in sorted(fold.nodes):
        path = directory / f"nodes-{label}.csv"
        node_count += _write(path, [f"uid:ID({label})"], list(_node_rows(fold.nodes[label].values(), "uid")))
        nodes.append((label, path))
    if fold.identifiers:
        path = directory / "nodes-Identifier.csv"
        rows = [([item["key"]], {k: v for k, v in item.items() if k != "key"}) for item in fold.identifiers.values()]
        node_count += _write(path, ["key:ID(Identifier)"], rows)
        nodes.append(("Identifier", path))
    links = [
        ([uid, key], {"source": node.props["source"], "first_seen": first, "last_seen": node.identifiers_last[key]})
        for uid, node in fold.nodes.get("Customer", {}).items()
        for key, first in node.identifiers.items()
    ]
    if links:
        path = directory / "rels-HAS_IDENTIFIER.csv"
        rel_count += _write(path, [":START_ID(Customer)", ":END_ID(Identifier)"], links)
        rels.append(("HAS_IDENTIFIER", path))
    for name in sorted(fold.relationships):
        spec = RELATIONSHIPS[name]
        start, end = ENTITY_LABELS[spec.start], ENTITY_LABELS[spec.end]
        rows = [([edge.start, edge.end], edge.props) for edge in fold.relationships[name].values()]
        path = directory / f"rels-{name}.csv"
        rel_count += _write(path, [f":START_ID({start})", f":END_ID({end})"], rows)
        rels.append((name, path))
    return ImportFiles(nodes, rels, node_count, rel_count)
