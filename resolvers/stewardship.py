"""Steward operations and real-time ingest. The identity engine (graph.identity, loaders.engine)
does the work and records each operation with who asked (`by`) and when; this module checks the
input and calls it off the event loop under the caller's name."""

from functools import partial
from typing import Any

from graph.identity import explain, steward
from resolvers.context import Context
from resolvers.errors import BadInput
from resolvers.errors import bounded_text as _text

__all__ = ["explain_link", "ingest", "link", "set_golden", "split", "unlink"]

MAX_ROW_FIELDS = 200


async def link(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await context.run_engine(
        "steward.link",
        partial(
            steward.link,
            context.store.graph,
            uid_a,
            uid_b,
            by=context.principal.name,
            reason=_text("reason", reason),
            rules=context.engine.rules,
        ),
        refusals=steward.StewardError,
    )


async def unlink(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await context.run_engine(
        "steward.unlink",
        partial(
            steward.unlink,
            context.store.graph,
            uid_a,
            uid_b,
            by=context.principal.name,
            reason=_text("reason", reason),
            rules=context.engine.rules,
        ),
        refusals=steward.StewardError,
    )


async def split(context: Context, pid: str, reason: str | None) -> list[str]:
    return await context.run_engine(
        "steward.split",
        partial(
            steward.split,
            context.store.graph,
            pid,
            by=context.principal.name,
            reason=_text("reason", reason),
            rules=context.engine.rules,
        ),
        refusals=steward.StewardError,
    )


async def set_golden(context: Context, pid: str, field: str, value: str | None, reason: str | None) -> None:
    await context.run_engine(
        "steward.set_golden",
        partial(
            steward.set_golden,
            context.store.graph,
            pid,
            field,
            _text("value", value),
            by=context.principal.name,
            reason=_text("reason", reason),
            rules=context.engine.rules,
        ),
        refusals=steward.StewardError,
    )


async def explain_link(context: Context, uid_a: str, uid_b: str) -> list[dict[str, Any]]:
    return await context.store.call(
        "explain.link", partial(explain.link, context.store.graph, uid_a, uid_b, rules=context.engine.rules)
    )


async def ingest(context: Context, mapping: str, row: object) -> dict[str, Any]:
    """One source row through a built-in mapping (never a mapping file path from the caller)."""
    engine = context.engine
    if mapping not in engine.mappings:
        raise BadInput(f"unknown mapping {mapping[:64]!r}; expected one of {', '.join(sorted(engine.mappings))}")
    if not isinstance(row, dict) or not row or len(row) > MAX_ROW_FIELDS:
        raise BadInput(f"row must be a JSON object with 1 to {MAX_ROW_FIELDS} fields")
    return await context.run_engine("ingest_event", partial(engine.ingest, context.store.graph, mapping, row))
