"""What data-subject operations answer, and the audit log as admins read it."""

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from graph.privacy.erasure import ErasureReport as Report
from resolvers.store import Row

__all__ = ["AuditEntry", "ErasureReport"]


@strawberry.type(description="What an erasure removed: counts and a keyed hash for the person, no personal data.")
class ErasureReport:
    subject: str = strawberry.field(description="The keyed hash standing for the person in the audit log.")
    profiles: int
    records: int
    identifiers: int
    touchpoints: int
    touchpoints_mode: str = strawberry.field(description="delete or anonymize (C360_ERASURE_TOUCHPOINTS).")
    events_scrubbed: int
    audit_scrubbed: int
    suppression_entries: int = strawberry.field(description="Hashes that keep later loads from bringing them back.")
    neighbours_resolved: int
    segment_changes_scrubbed: int = strawberry.field(
        description="Segment entries and exits that named the person's profile ids, now pseudonymized."
    )
    audit_id: str

    @classmethod
    def of(cls, report: Report) -> "ErasureReport":
        return cls(**report.as_dict())


@strawberry.type(description="One audit log entry: who did what to whose data (ids, never values), when and why.")
class AuditEntry:
    id: str
    at: datetime
    actor: str
    action: str
    target: list[str] = strawberry.field(description="Profile ids, record ids or other object ids.")
    reason: str | None
    details: JSON

    @classmethod
    def from_row(cls, row: Row) -> "AuditEntry":
        return cls(
            id=row["id"],
            at=datetime.fromisoformat(row["at"]),
            actor=row["actor"],
            action=row["action"],
            target=list(row.get("target") or []),
            reason=row.get("reason"),
            details=cast(JSON, row.get("details") or {}),
        )
