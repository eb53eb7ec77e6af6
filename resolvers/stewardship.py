"""Steward operations and real-time ingest. The identity engine (graph.identity, loaders.events)
does the work and records each operation with who asked (`by`) and when; this module only calls
it off the event loop under the caller's name."""

from functools import partial
from typing import Any

from loaders.mapping import builtin_names

from resolvers.context import Context
from resolvers.errors import BadInput

__all__ = ["explain_link", "ingest", "link", "set_golden", "split", "unlink"]

MAX_ROW_FIELDS = 200
MAX_REASON = 1000

# graph.identity.steward/explain and loaders.events are imported where they are used: they are
# written alongside this API, and the read side must keep working wherever they are absent.


def _reason(reason: str | None) -> str | None:
    if reason is not None and len(reason) > MAX_REASON:
        raise BadInput(f"reason is longer than {MAX_REASON} characters")
    return reason


async def link(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    from graph.identity import steward

    return await context.store.call("steward.link", partial(
        steward.link, context.store.graph, uid_a, uid_b, by=context.principal.name, reason=_reason(reason)))


async def unlink(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    from graph.identity import steward

    return await context.store.call("steward.unlink", partial(
        steward.unlink, context.store.graph, uid_a, uid_b, by=context.principal.name, reason=_reason(reason)))


async def split(context: Context, pid: str, reason: str | None) -> list[str]:
    from graph.identity import steward

    return await context.store.call("steward.split", partial(
        steward.split, context.store.graph, pid, by=context.principal.name, reason=_reason(reason)))


async def set_golden(context: Context, pid: str, field: str, value: str | None, reason: str | None) -> None:
    from graph.identity import steward

    if value is not None and len(value) > MAX_REASON:
        raise BadInput(f"value is longer than {MAX_REASON} characters")
    await context.store.call("steward.set_golden", partial(
        steward.set_golden, context.store.graph, pid, field, value, by=context.principal.name,
        reason=_reason(reason)))


async def explain_link(context: Context, uid_a: str, uid_b: str) -> list[dict[str, Any]]:
    from graph.identity import explain

    return await context.store.call("explain.link", partial(explain.link, context.store.graph, uid_a, uid_b))


async def ingest(context: Context, mapping: str, row: object) -> dict[str, Any]:
    """One source row through a built-in mapping (never a mapping file path from the caller)."""
    from loaders.events import ingest_event

    if mapping not in builtin_names():
        raise BadInput(f"unknown mapping {mapping[:64]!r}; expected one of {', '.join(builtin_names())}")
    if not isinstance(row, dict) or not row or len(row) > MAX_ROW_FIELDS:
        raise BadInput(f"row must be a JSON object with 1 to {MAX_ROW_FIELDS} fields")
    return await context.store.call("ingest_event", partial(
        ingest_event, context.store.graph, context.settings, mapping, row))
