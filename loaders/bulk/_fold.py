"""Fold mapped rows into the graph a load would leave, in memory, for the offline importer.

The rules are the `merge_*` statements' (queries/), applied in the same order: one batch per file
(the latest version of a record within it), files in order, and across files a version replaces
the stored one unless it is older. So a bulk import of an empty database equals an online load
whose batches each hold a whole file (the equivalence is tested against the real statements).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.identity.evidence import KEY_FIELDS, derived_identifiers
from graph.identity.rules import MatchRules
from graph.model import ENTITY_LABELS, RELATIONSHIPS
from loaders.rows import EntityRow, MappedRow, RelationshipRow

__all__ = ["Fold", "Node", "Relationship"]

# Properties the statements convert to Neo4j temporal types; every other temporal value is
# stored as an ISO string, as the statements receive it.
TEMPORAL: dict[str, dict[str, type]] = {
    "Customer": {"birth_date": date},
    "Touchpoint": {"at": datetime},
    "Consent": {"at": datetime},
    "Account": {"opened_at": datetime},
    "WORKS_AT": {"since": date, "until": date},
    "MEMBER_OF": {"since": date, "until": date},
}


@dataclass
class Node:
    label: str
    uid: str
    props: dict[str, Any]
    identifiers: dict[str, datetime | None] = field(default_factory=dict)
    """Identifier key -> first_seen of its HAS_IDENTIFIER edge (Customer only)."""
    identifiers_last: dict[str, datetime | None] = field(default_factory=dict)
    derived: list[str] = field(default_factory=list)
    """Derived-key identifiers (Customer only), as resolution would link them (Fold.derive)."""


@dataclass
class Relationship:
    type: str
    start: str
    end: str
    props: dict[str, Any]


def _set_version(target: dict[str, Any], label: str, props: dict[str, Any]) -> None:
    """A version's properties onto the stored ones, as the statements' `SET` does: temporal
    values stay temporal and follow the version even to null (`SET n.key = date(r.props.key)`),
    every other date becomes its ISO string. One pass: the hottest loop of the fold."""
    temporal = TEMPORAL.get(label, {})
    for key, value in props.items():
        if key not in temporal:
            target[key] = value.isoformat() if isinstance(value, date) else value
    for key in temporal:
        target.pop(key, None)
        if props.get(key) is not None:
            target[key] = props[key]


def _older(new: datetime | None, stored: datetime | None) -> bool:
    return new is not None and stored is not None and new < stored


class Fold:
    """The final state of every node and relationship a load writes."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.nodes: dict[str, dict[str, Node]] = defaultdict(dict)
        self.identifiers: dict[str, dict[str, Any]] = {}
        self.relationships: dict[str, dict[tuple[str, str], Relationship]] = defaultdict(dict)

    def add_file(self, rows: list[MappedRow]) -> None:
        """One file: what BatchWriter would send as one batch, applied in the same order."""
        latest: dict[str, EntityRow] = {}
        observed: list[EntityRow] = []
        rels: dict[str, dict[tuple[str, str], tuple[RelationshipRow, Any, Any]]] = defaultdict(dict)
        for row in rows:
            for entity in row.entities:
                if entity.reference:
                    continue
                if entity.accumulate:
                    observed.append(entity)
                    continue
                previous = latest.get(entity.uid)
                if (
                    previous is None
                    or entity.updated_at is None
                    or previous.updated_at is None
                    or entity.updated_at >= previous.updated_at
                ):
                    latest[entity.uid] = entity
            for rel in row.relationships:
                key = (rel.start.uid, rel.end.uid)
                seen = rels[rel.type].get(key)
                if seen is None:
                    rels[rel.type][key] = (rel, rel.updated_at, rel.updated_at)
                else:
                    stamps = [s for s in (seen[1], rel.updated_at) if s is not None]
                    last = [s for s in (seen[2], rel.updated_at) if s is not None]
                    rels[rel.type][key] = (rel, min(stamps, default=None), max(last, default=None))
        people = [e for e in latest.values() if e.kind == "person"]
        for entity in people:
            self._record(entity)
        for entity in observed:
            self._observation(entity)
        for kind in sorted({e.kind for e in latest.values()} - {"person"}):
            for entity in (e for e in latest.values() if e.kind == kind):
                self._entity(entity)
        for name in sorted(rels):
            for rel, first_seen, updated_at in rels[name].values():
                self._relationship(rel, first_seen, updated_at)

    def derive(self, rules: MatchRules) -> None:
        """The derived keys resolution would write for every record (evidence.derive_keys), from
        the records' final attributes: imported with them, the first resolve finds them in place
        and writes none (at 1M records that write was most of its derive phase)."""
        for node in self.nodes.get("Customer", {}).values():
            found = derived_identifiers(rules, {name: node.props.get(name) for name in KEY_FIELDS})
            for item in found:
                # A loaded identifier under the same key keeps its own properties, as MERGE's ON CREATE.
                self.identifiers.setdefault(item["key"], item | {"source": "derived", "first_seen": self.now})
            node.derived = sorted({item["key"] for item in found})

    def _node(self, label: str, uid: str, source: str, source_id: str) -> tuple[Node, bool]:
        node = self.nodes[label].get(uid)
        if node is not None:
            return node, False
        props: dict[str, Any] = {"uid": uid, "source": source, "source_id": source_id, "ingested_at": self.now}
        node = self.nodes[label][uid] = Node(label, uid, props)
        return node, True

    def _applies(self, node: Node, entity: EntityRow, *, strictly_newer: bool) -> bool:
        stored_hash, stored_at = node.props.get("row_hash"), node.props.get("updated_at")
        if stored_hash is None:
            return True
        if stored_hash == entity.row_hash:
            return False
        if strictly_newer:
            return entity.updated_at is not None and (stored_at is None or entity.updated_at > stored_at)
        return not _older(entity.updated_at, stored_at)

    def _apply(self, node: Node, entity: EntityRow, *, pending: bool) -> None:
        _set_version(node.props, node.label, entity.props)
        node.props["row_hash"] = entity.row_hash
        if entity.updated_at is not None:
            node.props["updated_at"] = entity.updated_at
        node.props["loaded_at"] = self.now
        if pending:
            node.props["pending"] = True

    def _identifier(self, item: dict[str, str], source: str) -> None:
        if item["key"] not in self.identifiers:
            self.identifiers[item["key"]] = dict(item) | {"source": source, "first_seen": self.now}

    def _record(self, entity: EntityRow) -> None:
        node, _ = self._node("Customer", entity.uid, entity.source, entity.source_id)
        if not self._applies(node, entity, strictly_newer=False):
            return
        self._apply(node, entity, pending=True)
        keys = [item["key"] for item in entity.identifiers]
        for gone in set(node.identifiers) - set(keys):
            del node.identifiers[gone]
            node.identifiers_last.pop(gone, None)
        for item in entity.identifiers:
            self._identifier(item, entity.source)
            first = node.identifiers.setdefault(item["key"], entity.updated_at or self.now)
            node.identifiers_last[item["key"]] = entity.updated_at or first

    def _observation(self, entity: EntityRow) -> None:
        node, _ = self._node("Customer", entity.uid, entity.source, entity.source_id)
        if self._applies(node, entity, strictly_newer=True):
            self._apply(node, entity, pending=True)
        for item in entity.identifiers:
            self._identifier(item, entity.source)
            key = item["key"]
            if key not in node.identifiers:
                node.identifiers[key] = entity.updated_at or self.now
                node.props["pending"] = True
            last = node.identifiers_last.get(key) or node.identifiers[key]
            stamp = entity.updated_at
            node.identifiers_last[key] = last if stamp is None or (last is not None and stamp < last) else stamp

    def _entity(self, entity: EntityRow) -> None:
        node, _ = self._node(ENTITY_LABELS[entity.kind], entity.uid, entity.source, entity.source_id)
        if self._applies(node, entity, strictly_newer=False):
            self._apply(node, entity, pending=False)
            if node.label == "Touchpoint":  # as merge_touchpoints: traits of its person are due
                node.props["traits_pending"] = True

    def _relationship(self, rel: RelationshipRow, first_seen: datetime | None, updated_at: datetime | None) -> None:
        spec = RELATIONSHIPS[rel.type]
        start, created = self._node(ENTITY_LABELS[spec.start], rel.start.uid, rel.start.source, rel.start.source_id)
        if created and start.label == "Customer":
            start.props["pending"] = True
        end, _ = self._node(ENTITY_LABELS[spec.end], rel.end.uid, rel.end.source, rel.end.source_id)
        key = (rel.start.uid, rel.end.uid)
        edge = self.relationships[rel.type].get(key)
        if edge is None:
            if rel.type == "HAD_TOUCHPOINT":  # as merge_had_touchpoint: a new link makes traits due
                end.props["traits_pending"] = True
            edge = self.relationships[rel.type][key] = Relationship(
                rel.type, rel.start.uid, rel.end.uid, {"source": rel.source, "first_seen": first_seen or self.now}
            )
        if rel.type == "HAS_CONSENT":
            edge.props["last_seen"] = updated_at or edge.props["first_seen"]
            return
        _set_version(edge.props, rel.type, rel.props)
        last = edge.props.get("last_seen") or edge.props["first_seen"]
        edge.props["last_seen"] = last if updated_at is None or updated_at < last else updated_at
