"""Activation: stream a segment's members with chosen golden fields and traits, audited.

Members come from the materialized membership (restricted profiles never), the optional
purpose x channel consent is applied page by page with the contact-selection rule, and people
erased earlier are not in the graph at all (their suppression entries keep them out of loads).
Every export writes one audit entry: who, which segment, which fields, how many people.
"""

from collections.abc import Generator
from typing import Any

from graph.connection import Graph
from graph.privacy import audit
from graph.segments.definition import GOLDEN_FIELDS, TRAIT_FIELDS
from graph.segments.store import get, members

__all__ = ["EXPORT_FIELDS", "EXPORT_TYPES", "export_members"]

EXPORT_FIELDS = ("profile_id", "display_name", "email", "phone", "street", *GOLDEN_FIELDS) + tuple(
    f"trait_{name}" for name in TRAIT_FIELDS
)
_INT_TRAITS = {
    "order_count", "tenure_days", "recency_days", "frequency", "r_score", "f_score", "m_score",
    "email_opens", "email_clicks", "web_visits",
}  # fmt: skip
_FLOAT_TRAITS = {"total_spend", "average_spend", "monetary", "sentiment_score", "p_alive", "expected_orders", "clv"}
_TIME_TRAITS = {"first_seen", "last_seen", "first_order_at", "last_order_at"}


def _type(name: str) -> str:
    trait = name.removeprefix("trait_")
    if trait in _INT_TRAITS:
        return "int"
    if trait in _FLOAT_TRAITS:
        return "float"
    return "datetime" if trait in _TIME_TRAITS else "text"


EXPORT_TYPES: dict[str, str] = {name: _type(name) for name in EXPORT_FIELDS}
"""Column type of each export field (typed files such as Parquet); golden values stay text."""
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
) -> Generator[dict[str, Any], None, None]:
    """Yield one dict per member with `fields` (from EXPORT_FIELDS); audited when exhausted or closed."""
    from graph.privacy import consent as consents  # privacy reads identity, which refreshes segments

    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if unknown or not fields:
        raise ValueError(f"unknown export fields {unknown}; allowed: {', '.join(EXPORT_FIELDS)}")
    get(graph, name)  # an unknown segment is an error before anything is written
    count, after, complete = 0, None, False
    try:
        while True:
            page = members(graph, name, PAGE, after)
            if not page:
                break
            after = page[-1]
            allowed = set(page) if consent is None else consents.allowed(graph, page, *consent)
            rows = {
                r["key"]: r["profile"]
                for r in graph.read("api_profiles_by_pid", pids=[p for p in page if p in allowed])
            }
            for pid in page:
                row = rows.get(pid)
                if row is None or row.get("restricted"):
                    continue
                count += 1
                yield {f: _value(row, f) for f in fields}
            if len(page) < PAGE:
                break
        complete = True
    finally:
        # Also when the consumer stops early (a client that hangs up, a failed write): what was
        # read for export is on record either way, with `complete` saying which.
        audit.record(
            graph,
            actor=actor,
            action="segment.export",
            target=name,
            reason=reason,
            details={
                "fields": fields,
                "people": count,
                "consent": list(consent) if consent else None,
                "complete": complete,
            },
        )
