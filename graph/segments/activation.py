"""Activation: stream a segment's members with chosen golden fields and traits, audited.

Members come from the materialized membership (restricted profiles never), the optional
purpose x channel consent is applied page by page with the contact-selection rule, and people
erased earlier are not in the graph at all (their suppression entries keep them out of loads).
Every export writes one audit entry: who, which segment, which fields, how many people.
"""

from collections.abc import Iterator
from typing import Any

from graph.connection import Graph
from graph.privacy import audit
from graph.segments.definition import GOLDEN_FIELDS, TRAIT_FIELDS
from graph.segments.store import get, members

__all__ = ["EXPORT_FIELDS", "export_members"]

EXPORT_FIELDS = ("profile_id", "display_name", "email", "phone", "street", *GOLDEN_FIELDS) + tuple(
    f"trait_{name}" for name in TRAIT_FIELDS
)
PAGE = 1000


def _value(row: dict[str, Any], name: str) -> Any:
    value: Any = row.get("pid" if name == "profile_id" else name)
    return value.iso_format() if hasattr(value, "iso_format") else value


def export_members(
    graph: Graph,
    name: str,
    fields: list[str],
    *,
    actor: str,
    consent: tuple[str, str] | None = None,
    reason: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one dict per member with `fields` (from EXPORT_FIELDS); audited when exhausted."""
    from graph.privacy import consent as consents  # privacy reads identity, which refreshes segments

    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if unknown or not fields:
        raise ValueError(f"unknown export fields {unknown}; allowed: {', '.join(EXPORT_FIELDS)}")
    get(graph, name)  # an unknown segment is an error before anything is written
    count, after = 0, None
    while True:
        page = members(graph, name, PAGE, after)
        if not page:
            break
        after = page[-1]
        allowed = set(page) if consent is None else consents.allowed(graph, page, *consent)
        rows = {
            r["key"]: r["profile"] for r in graph.read("api_profiles_by_pid", pids=[p for p in page if p in allowed])
        }
        for pid in page:
            row = rows.get(pid)
            if row is None or row.get("restricted"):
                continue
            count += 1
            yield {f: _value(row, f) for f in fields}
        if len(page) < PAGE:
            break
    audit.record(
        graph,
        actor=actor,
        action="segment.export",
        target=name,
        reason=reason,
        details={"fields": fields, "people": count, "consent": list(consent) if consent else None},
    )
