"""Activation over HTTP: `GET /segments/{name}/export` streams a segment's members, and
`GET /suppression/export` the suppression list (who must not be contacted).

The same export as `c360 export segment` (graph.segments.activation: materialized membership,
restricted people never, the optional purpose x channel consent applied, one audit entry per
export), for the systems a segment is handed to. It is a bulk read of personal data, so it needs
the `admin` scope (the scope of every export). Rows stream out as they are read, a chunk per
worker-thread hop, so a segment of any size is sent in bounded memory; the checks (fields, the
segment, the consent pair) run before the first byte, so a bad request is a 4xx, not a cut stream.
CSV and JSON lines only: Parquet needs a whole file before it is readable (the CLI writes it).
The suppression list is `c360 export suppression` (graph.privacy.do_not_contact): keyed hashes by
default, plain values for admin keys only, one audit entry per export.
"""

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Generator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

import anyio
from starlette.responses import JSONResponse, Response, StreamingResponse

from graph import segments
from graph.privacy import PrivacyError, consent, do_not_contact
from graph.segments.activation import EXPORT_FIELDS, export_members
from resolvers.context import Context
from resolvers.scopes import Scope

__all__ = ["CHUNK", "segment_export", "suppression_export"]

CHUNK = 500
"""Rows read per worker-thread hop."""
_MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _error(message: str, status: int) -> Response:
    return JSONResponse({"error": message}, status)


def _encode(rows: list[dict[str, Any]], fields: list[str], fmt: str, header: bool) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows).encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@dataclass(frozen=True)
class _Ask:
    """What every export request asks besides its own options: checked before anything is read."""

    fmt: str
    reason: str | None
    consent: tuple[str, str] | None


def _ask(params: Mapping[str, str], what: str) -> _Ask | Response:
    fmt = params.get("format", "jsonl")
    if fmt not in _MEDIA:
        return _error(f"format is one of {', '.join(_MEDIA)} (Parquet: `c360 export {what} --out FILE`)", 400)
    reason = params.get("reason")
    if reason is not None and len(reason) > 500:
        return _error("reason is at most 500 characters", 400)
    try:
        return _Ask(fmt, reason, consent.pair(params.get("consent")))
    except ValueError as exc:
        return _error(str(exc), 400)


async def segment_export(context: Context, name: str, params: Mapping[str, str]) -> Response:
    """`?fields=a,b&format=jsonl|csv&consent=purpose:channel&reason=...` (fields default: profile_id)."""
    if not context.principal.can(Scope.ADMIN):
        return _error("exporting a segment needs the admin scope", 403)
    ask = _ask(params, "segment")
    if isinstance(ask, Response):
        return ask
    fields = [f.strip() for f in params.get("fields", "profile_id").split(",") if f.strip()]
    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if unknown or not fields:
        return _error(f"unknown fields {unknown}; allowed: {', '.join(EXPORT_FIELDS)}", 400)
    rows = export_members(
        context.store.graph, name, fields, actor=context.principal.name, consent=ask.consent, reason=ask.reason
    )
    try:
        # The generator checks the segment before its first row: an unknown one is a 404 here.
        first = await context.store.call("segment.export", lambda: list(islice(rows, CHUNK)))
    except segments.SegmentError as exc:
        return _error(str(exc), 404)
    return _stream(context, "segment.export", rows, first, fields, ask.fmt, name)


async def suppression_export(context: Context, params: Mapping[str, str]) -> Response:
    """`?format=jsonl|csv&consent=purpose:channel&kinds=email,phone&plain=true&reason=...`."""
    if not context.principal.can(Scope.ADMIN):
        return _error("exporting the suppression list needs the admin scope", 403)
    ask = _ask(params, "suppression")
    if isinstance(ask, Response):
        return ask
    plain = params.get("plain", "false").lower()
    if plain not in ("true", "false"):
        return _error("plain is true or false", 400)
    role = context.principal.role.name.lower()
    if plain == "true" and role not in do_not_contact.PLAIN_ROLES:
        return _error("plain identifiers in the suppression list are for admins only", 403)
    kinds = [k.strip().lower() for k in params.get("kinds", ",".join(do_not_contact.CONTACT_KINDS)).split(",")]
    fields = list(do_not_contact.PLAIN_FIELDS if plain == "true" else do_not_contact.FIELDS)
    rows = do_not_contact.suppression_list(
        context.store.graph,
        secret=context.engine.suppression_key,
        actor=context.principal.name,
        role=role,
        plain=plain == "true",
        consent_for=ask.consent,
        kinds=[k for k in kinds if k],
        reason=ask.reason,
    )
    try:
        # The generator checks the kinds before its first row: a bad one is a 400 here.
        first = await context.store.call("suppression.export", lambda: list(islice(rows, CHUNK)))
    except PrivacyError as exc:
        return _error(str(exc), 400)
    return _stream(context, "suppression.export", rows, first, fields, ask.fmt, "suppression")


def _stream(
    context: Context,
    label: str,
    rows: Generator[dict[str, Any], None, None],
    first: list[dict[str, Any]],
    fields: list[str],
    fmt: str,
    name: str,
) -> Response:
    """The rows as a download: `first` (already read, so the checks ran), then the rest, read a
    chunk per worker-thread hop; the generator is always closed (its audit entry)."""

    async def body() -> AsyncIterator[bytes]:
        chunk, header = first, True
        try:
            while True:
                if chunk or header:
                    yield _encode(chunk, fields, fmt, header)
                header = False
                if len(chunk) < CHUNK:
                    # Drain the generator: its audit entry is written when it is exhausted.
                    rest = await context.store.call(label, lambda: list(rows))
                    if rest:
                        yield _encode(rest, fields, fmt, False)
                    return
                chunk = await context.store.call(label, lambda: list(islice(rows, CHUNK)))
        finally:
            # A client that hangs up mid-stream: closing the generator writes its audit entry
            # (marked incomplete) now, not whenever it is collected. Shielded: the stream's
            # own cancellation must not cancel the record of what it sent.
            with anyio.CancelScope(shield=True):
                await context.store.call(label, rows.close)

    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}.{fmt}")
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type=_MEDIA[fmt], headers=headers)
