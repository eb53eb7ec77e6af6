"""Segments for the API: thin calls into graph.segments, run off the event loop; an invalid
definition or an unknown segment is the caller's to fix."""

from functools import partial
from typing import Any

from graph import segments
from resolvers.context import Context
from resolvers.errors import BadInput

__all__ = ["delete", "get", "list_all", "preview", "save"]

MAX_DEFINITION = 20_000


def _checked(definition: str) -> str:
    if len(definition) > MAX_DEFINITION:
        raise BadInput(f"a definition is at most {MAX_DEFINITION} characters")
    return definition


async def get(context: Context, name: str) -> dict[str, Any] | None:
    try:
        return await context.run_engine("segment.get", partial(segments.get, context.store.graph, name), writes=False)
    except segments.SegmentError:
        return None


async def list_all(context: Context) -> list[dict[str, Any]]:
    return await context.run_engine("segment.list", partial(segments.list_all, context.store.graph), writes=False)


async def preview(context: Context, definition: str, sample: int) -> segments.Preview:
    work = partial(segments.preview, context.store.graph, _checked(definition), sample)
    return await context.run_engine("segment.preview", work, refusals=segments.SegmentError, writes=False)


async def save(context: Context, name: str, definition: str) -> dict[str, Any]:
    work = partial(segments.save, context.store.graph, name, _checked(definition), by=context.principal.name)
    return await context.run_engine("segment.save", work, refusals=segments.SegmentError)


async def delete(context: Context, name: str) -> int:
    work = partial(segments.delete, context.store.graph, name)
    return await context.run_engine("segment.delete", work, refusals=segments.SegmentError)
