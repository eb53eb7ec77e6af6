"""A mapped row: validated, normalized entities and relationships ready for the writer (online)
or the fold (bulk), and the values left out of it. `loaders/rows.py` makes them from source rows."""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["EntityRow", "FieldIssue", "MappedRow", "RelationshipRow", "RowError"]


class RowError(ValueError):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _wire(props: dict[str, Any]) -> dict[str, Any]:
    """Temporal values travel as ISO strings and become dates in Cypher: the driver packs a
    Python datetime ~100x slower than a string, which dominated load time."""
    return {key: _iso(value) for key, value in props.items()}


@dataclass(frozen=True, slots=True)
class EntityRow:
    kind: str
    uid: str
    source: str
    source_id: str
    reference: bool
    accumulate: bool
    props: dict[str, Any]
    identifiers: list[dict[str, str]]
    updated_at: datetime | None
    row_hash: str

    def params(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "source": self.source,
            "source_id": self.source_id,
            "props": _wire(self.props),
            "identifiers": self.identifiers,
            "updated_at": _iso(self.updated_at),
            "row_hash": self.row_hash,
        }


@dataclass(frozen=True, slots=True)
class RelationshipRow:
    type: str
    start: EntityRow
    end: EntityRow
    source: str
    props: dict[str, Any]
    updated_at: datetime | None

    def params(self) -> dict[str, Any]:
        return {
            "start": self.start.uid,
            "start_source": self.start.source,
            "start_id": self.start.source_id,
            "end": self.end.uid,
            "end_source": self.end.source,
            "end_id": self.end.source_id,
            "source": self.source,
            "props": _wire(self.props),
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One value left out of a record that still landed: which field, what it said, why."""

    entity: str
    field: str
    value: Any
    reason: str


@dataclass(frozen=True, slots=True)
class MappedRow:
    entities: list[EntityRow]
    relationships: list[RelationshipRow]
    issues: list[FieldIssue] = dataclasses.field(default_factory=list)
