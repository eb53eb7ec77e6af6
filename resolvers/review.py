"""The review queue over the API: the identity engine (graph.identity.scoring.review) does the
work in a worker thread; this module checks the input and pages."""

from functools import partial
from typing import Any

from graph.connection import Graph
from graph.identity.scoring import review, waterfall
from resolvers import cursors
from resolvers.context import Context
from resolvers.stewardship import on_pair

__all__ = ["accept", "queue", "reject"]


def _page(graph: Graph, first: int, after: tuple[float, str, str] | None) -> tuple[list[dict[str, Any]], int, bool]:
    items = review.queue(graph, first=first + 1, after=after)
    more = len(items) > first
    page = []
    for item in items[:first]:
        score = waterfall.pair(graph, item.a, item.b) or {}
        page.append({"a": item.a, "b": item.b, "position": item.position, "score": score})
    return page, review.count(graph), more


async def queue(context: Context, first: int | None, after: str | None) -> tuple[list[dict[str, Any]], int, bool]:
    size = cursors.page_size(first, context.config.max_page_size)
    position = cursors.decode(after, "review", float, str, str)
    start = (float(position[0]), str(position[1]), str(position[2])) if position else None
    return await context.run_engine("review.queue", partial(_page, context.store.graph, size, start), writes=False)


async def accept(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await on_pair(context, "review.accept", review.accept, uid_a, uid_b, reason)


async def reject(context: Context, uid_a: str, uid_b: str, reason: str | None) -> list[str]:
    return await on_pair(context, "review.reject", review.reject, uid_a, uid_b, reason)
