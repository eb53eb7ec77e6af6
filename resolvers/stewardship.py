"""Steward operations and real-time ingest. The identity engine (graph.identity, loaders.engine)
does the work and records each operation with who asked (`by`) and when; this module checks the
input and the caller's scopes, and calls it off the event loop under the caller's name.

Ingest is the one write a front end's backend may be given: only with the ingest scope, only
through the mappings its key names, consent statements only with the consent scope too; and
every ingest is audited (`api.ingest`: who, which mapping, counts, keyed hashes of the records;
never the row).
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from graph.identity import explain, steward
from graph.privacy import audit
from resolvers import ids
from resolvers.context import Context
from resolvers.errors import BadInput, Forbidden
from resolvers.errors import bounded_text as _text
from resolvers.scopes import Scope

__all__ = ["INGEST_ACTION", "explain_link", "ingest", "link", "on_pair", "set_golden", "split", "unlink"]

MAX_ROW_FIELDS = 200
INGEST_ACTION = "api.ingest"


PairOperation = Callable[..., list[str]]
"""A steward operation on two records: (graph, uid_a, uid_b, *, by, reason, rules) -> profile ids."""


async def on_pair(
    context: Context, action: str, operation: PairOperation, uid_a: str, uid_b: str, reason: str | None
) -> list[str]:
    """Run a two-record steward operation (link, unlink, accept, reject) in a worker thread under
    the caller's name; the engine's refusals come back as a GraphQL error, not a 500."""
    return await context.run_engine(
        action,
        partial(
            operation,
            context.store.graph,
            uid_a,
            uid_b,
            by=context.principal.name,
            reason=_text("reason", reason),
            rules=context.engine.rules,
        ),
        refusals=steward.StewardError,
    )


async def link(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await on_pair(context, "steward.link", steward.link, uid_a, uid_b, reason)


async def unlink(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await on_pair(context, "steward.unlink", steward.unlink, uid_a, uid_b, reason)


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


def _check_ingest(context: Context, mapping: str) -> None:
    principal = context.principal
    mappings = context.engine.mappings
    if not principal.can(Scope.INGEST):
        raise Forbidden("ingest needs a key with the ingest scope (app keys are read-only by default)")
    if mapping not in mappings:
        raise BadInput(f"unknown mapping {mapping[:64]!r}; expected one of {', '.join(sorted(mappings))}")
    if not principal.may_ingest(mapping):
        allowed = ", ".join(sorted(principal.mappings or ()))
        raise Forbidden(f"this key may not ingest through {mapping!r}; it may use {allowed}")
    if any(entity.kind == "consent" for entity in mappings[mapping].entities) and not principal.can(Scope.CONSENT):
        raise Forbidden(f"{mapping!r} states consent: that needs a key with the consent scope")


async def ingest(context: Context, mapping: str, row: object) -> dict[str, Any]:
    """One source row through a built-in mapping (never a mapping file path from the caller)."""
    _check_ingest(context, mapping)
    if not isinstance(row, dict) or not row or len(row) > MAX_ROW_FIELDS:
        raise BadInput(f"row must be a JSON object with 1 to {MAX_ROW_FIELDS} fields")
    engine = context.engine
    result = await context.run_engine("ingest_event", partial(engine.ingest, context.store.graph, mapping, row))
    await _audit(context, mapping, result)
    return result


async def _audit(context: Context, mapping: str, result: dict[str, Any]) -> None:
    """One entry per ingest, before the answer leaves: counts and keyed hashes, never values."""
    records = [ids.keyed_digest(context.id_key, f"record:{uid}") for uid in result.get("record_uids") or ()]
    suppressed = bool(result.get("suppressed"))
    details = {
        "mapping": mapping,
        "rows": 1,
        "loaded": int(not result["quarantined"] and not suppressed),
        "quarantined": int(bool(result["quarantined"])),
        "suppressed": int(suppressed),
        "fields_rejected": len(result.get("fields_rejected") or ()),  # how many, never which values
        "records": sorted(records),
    }
    entry = audit.entry(
        actor=context.principal.name, action=INGEST_ACTION, target=sorted(result["profile_ids"]), details=details
    )
    await context.store.audit(entry)
