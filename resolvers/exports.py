"""Activation over HTTP: `GET /segments/{name}/export` streams a segment's members.

The same export as `c360 export segment` (graph.segments.activation: materialized membership,
restricted people never, the optional purpose x channel consent applied, one audit entry per
export), for the systems a segment is handed to. It is a bulk read of personal data, so it needs
the `admin` scope (the scope of every export). Rows stream out as they are read, a chunk per
worker-thread hop, so a segment of any size is sent in bounded memory; the checks (fields, the
segment, the consent pair) run before the first byte, so a bad request is a 4xx, not a cut stream.
CSV and JSON lines only: Parquet needs a whole file before it is readable (the CLI writes it).
"""

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Generator, Mapping
from itertools import islice
from typing import Any

import anyio
from starlette.responses import JSONResponse, Response, StreamingResponse

from graph import segments
from graph.privacy import consent
from graph.segments.activation import EXPORT_FIELDS, export_members
from resolvers.context import Context
from resolvers.scopes import Scope

__all__ = ["CHUNK", "segment_export"]

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


async def segment_export(context: Context, name: str, params: Mapping[str, str]) -> Response:
    """`?fields=a,b&format=jsonl|csv&consent=purpose:channel&reason=...` (fields default: profile_id)."""
    if not context.principal.can(Scope.ADMIN):
        return _error("exporting a segment needs the admin scope", 403)
    fmt = params.get("format", "jsonl")
    if fmt not in _MEDIA:
        return _error(f"format is one of {', '.join(_MEDIA)} (Parquet: `c360 export segment --format parquet`)", 400)
    fields = [f.strip() for f in params.get("fields", "profile_id").split(",") if f.strip()]
    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if unknown or not fields:
        return _error(f"unknown fields {unknown}; allowed: {', '.join(EXPORT_FIELDS)}", 400)
    reason = params.get("reason")
    if reason is not None and len(reason) > 500:
        return _error("reason is at most 500 characters", 400)
    try:
        pair = consent.pair(params.get("consent"))
    except ValueError as exc:
        return _error(str(exc), 400)
    graph = context.store.graph
    rows: Generator[dict[str, Any], None, None] = export_members(
        graph, name, fields, actor=context.principal.name, consent=pair, reason=reason
    )
    try:
        # The generator checks the segment before its first row: an unknown one is a 404 here.
        first = await context.store.call("segment.export", lambda: list(islice(rows, CHUNK)))
    except segments.SegmentError as exc:
        return _error(str(exc), 404)

    async def body() -> AsyncIterator[bytes]:
        chunk, header = first, True
        try:
            while True:
                if chunk or header:
                    yield _encode(chunk, fields, fmt, header)
                header = False
                if len(chunk) < CHUNK:
                    # Drain the generator: its audit entry is written when it is exhausted.
                    rest = await context.store.call("segment.export", lambda: list(rows))
                    if rest:
                        yield _encode(rest, fields, fmt, False)
                    return
                chunk = await context.store.call("segment.export", lambda: list(islice(rows, CHUNK)))
        finally:
            # A client that hangs up mid-stream: closing the generator writes its audit entry
            # (marked incomplete) now, not whenever it is collected. Shielded: the stream's
            # own cancellation must not cancel the record of what it sent.
            with anyio.CancelScope(shield=True):
                await context.store.call("segment.export", rows.close)

    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}.{fmt}")
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type=_MEDIA[fmt], headers=headers)
