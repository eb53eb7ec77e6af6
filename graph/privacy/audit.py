"""The audit log: append-only entries of who did what to whose data, when and why.

Entries are `(:AuditEntry {id, at, actor, action, target, reason, details})`; `target` is a
list of profile or record ids, `details` a JSON object. Nothing updates or deletes them, except
erasure, which replaces the erased person's ids with keyed hashes (the entry itself stays).
Callers keep PII out of `target` and `details`: ids and counts, never identifier values.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from graph.connection import Graph
from graph.privacy._values import plain

__all__ = ["RECORD", "entry", "query", "record", "write_jsonl"]

# The statement that appends entries (`entries=[entry(...)]`), for callers that write an entry
# inside their own transaction.
RECORD = "privacy_audit_record"

# Cypher's LIMIT needs a number: "no limit" is one no graph reaches.
_NO_LIMIT = 2**62


def record(
    graph: Graph,
    *,
    actor: str,
    action: str,
    target: str | Sequence[str] = (),
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> str:
    """Append one entry and return its id."""
    params = entry(actor=actor, action=action, target=target, reason=reason, details=details, at=at)
    graph.write(RECORD, entries=[params])
    return str(params["id"])


def entry(
    *,
    actor: str,
    action: str,
    target: str | Sequence[str] = (),
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The parameters of `privacy_audit_record` for one new entry (for callers on an event loop)."""
    return {
        "id": str(uuid.uuid4()),
        "at": at or datetime.now(UTC),
        "actor": actor,
        "action": action,
        "target": [target] if isinstance(target, str) else list(target),
        "reason": reason,
        "details": json.dumps(details or {}, sort_keys=True, default=str),
    }


def query(
    graph: Graph,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    subjects: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Entries oldest first. `action` also matches sub-actions ("steward" finds "steward.link");
    `subjects` keeps entries whose target names any of the given ids."""
    rows = graph.read(
        "privacy_audit_query",
        since=since,
        actor=actor,
        action=action,
        subjects=sorted(subjects) if subjects is not None else None,
        limit=limit or _NO_LIMIT,
    )
    entries = []
    for row in rows:
        entry = plain(row["entry"])
        entry["details"] = json.loads(entry["details"]) if entry.get("details") else {}
        entries.append(entry)
    return entries


def write_jsonl(entries: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """One JSON object per line (the export format); returns the number written."""
    count = 0
    for entry in entries:
        stream.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        count += 1
    return count
