"""Aggregate figures for stewards: the data-quality dashboard and the review queue's lists."""

from datetime import date

import strawberry

from resolvers.store import Row

__all__ = [
    "ConflictEntry",
    "DailyCount",
    "DataQuality",
    "FieldCompleteness",
    "HeldOutIdentifier",
    "ProfileSize",
    "QuarantineFile",
    "SourceOverlap",
    "SourceQuality",
]

FIELDS = ("first_name", "last_name", "birth_date", "email", "phone", "street", "city", "postcode", "country")


@strawberry.type(description="How many records of a source carry a field.")
class FieldCompleteness:
    field: str
    present: int


@strawberry.type(description="Records of one source system and the completeness of their fields.")
class SourceQuality:
    source: str
    records: int
    fields: list[FieldCompleteness]

    @classmethod
    def from_row(cls, row: Row) -> "SourceQuality":
        return cls(
            source=str(row["source"]),
            records=int(row["records"]),
            fields=[FieldCompleteness(field=name, present=int(row[name] or 0)) for name in FIELDS],
        )


@strawberry.type(description="Profiles whose records come from exactly these sources.")
class SourceOverlap:
    sources: list[str]
    profiles: int


@strawberry.type(description="Profiles with this many records (`size` is a lower bound in the last bucket).")
class ProfileSize:
    size: int
    profiles: int


@strawberry.type(description="Records first seen and profiles created on a day.")
class DailyCount:
    day: date
    records: int
    profiles: int


@strawberry.type(description="Rows quarantined into one file (one file per load; events.jsonl for live events).")
class QuarantineFile:
    file: str
    rows: int


@strawberry.type(description="Counts over the whole graph for the data-quality dashboard (steward, admin).")
class DataQuality:
    profiles: int
    records: int
    households: int
    identifiers: int
    held_out_identifiers: int
    conflicts: int
    restricted: int
    touchpoints: int
    duplicate_rate: float = strawberry.field(description="1 - profiles / records: the share of records merged away.")
    sources: list[SourceQuality]
    source_overlap: list[SourceOverlap]
    profile_sizes: list[ProfileSize]
    daily: list[DailyCount]
    quarantine: list[QuarantineFile]


@strawberry.type(description="An identifier held out of merging: shared by more records than its kind's cap.")
class HeldOutIdentifier:
    key: str
    kind: str
    records: int


@strawberry.type(description="A profile whose records disagree on person-unique attributes or identifiers.")
class ConflictEntry:
    profile_id: strawberry.ID
    display_name: str | None
    conflicts: list[str]
    records: int
