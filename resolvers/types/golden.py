"""Golden attributes with their provenance, and addresses: the values a profile shows for a person."""

from datetime import datetime
from typing import Any

import strawberry

from graph import attributes
from resolvers import ids
from resolvers.masking import mask_email, mask_phone
from resolvers.types.base import First, Info, first_of

__all__ = ["Address", "CustomAttribute", "GoldenCandidate", "GoldenValue", "instant", "masked_value"]

_MASKERS = {"email": mask_email, "phone": mask_phone}


def masked_value(field: str, value: str | None, masked: bool) -> str | None:
    """A golden value as the caller may see it: emails and phones partly hidden from apps."""
    if value is None or not masked or field not in _MASKERS:
        return value
    return _MASKERS[field](value)


def instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@strawberry.type(description="A custom attribute from a mapping, its golden value chosen by survivorship.")
class CustomAttribute:
    name: str
    value: str = strawberry.field(description="The value as text (dates ISO 8601, booleans true/false).")
    type: str = strawberry.field(description="string, int, float, bool (a date is a string)")

    @classmethod
    def of(cls, row: dict[str, Any]) -> list["CustomAttribute"]:
        found = []
        for key, value in sorted(row.items()):
            if not attributes.is_attribute(key) or value is None:
                continue
            kind = "bool" if isinstance(value, bool) else type(value).__name__
            text = str(value).lower() if isinstance(value, bool) else str(value)
            kind = {"str": "string"}.get(kind, kind)
            found.append(cls(name=key.removeprefix(attributes.PREFIX), value=text, type=kind))
        return found


@strawberry.type
class Address:
    street: str | None
    city: str | None
    postcode: str | None
    country: str | None


@strawberry.type(description="A value one source record offered for a golden attribute.")
class GoldenCandidate:
    value: str | None
    source: str | None
    at: datetime | None
    record_id: strawberry.ID | None


@strawberry.type(description="A golden attribute and its provenance: the record, source and rule that chose it.")
class GoldenValue:
    field: str
    value: str | None
    source: str | None
    rule: str | None
    at: datetime | None
    record_id: strawberry.ID | None
    all_candidates: strawberry.Private[list[GoldenCandidate]]

    @strawberry.field(description="Every value the records offered, the winner included.")
    def candidates(self, info: Info, first: First = None) -> list[GoldenCandidate]:
        return first_of(info, self.all_candidates, first)

    @classmethod
    def from_entry(cls, field: str, entry: dict[str, Any], masked: bool) -> "GoldenValue":
        def record(uid: Any) -> strawberry.ID | None:
            return strawberry.ID(ids.encode("SourceRecord", uid)) if isinstance(uid, str) and uid else None

        return cls(
            field=field,
            value=masked_value(field, _text(entry.get("value")), masked),
            source=entry.get("source"),
            rule=entry.get("rule"),
            at=instant(entry.get("at")),
            record_id=record(entry.get("uid")),
            all_candidates=[
                GoldenCandidate(
                    value=masked_value(field, _text(c.get("value")), masked),
                    source=c.get("source"),
                    at=instant(c.get("at")),
                    record_id=record(c.get("uid")),
                )
                for c in entry.get("candidates") or []
                if isinstance(c, dict)
            ],
        )
