"""Thin resolvers of the change feed: `changes`, `profileChanges` and webhook administration."""

from collections.abc import AsyncGenerator

from graph.changes import events as ev
from graph.changes import webhooks
from resolvers import feed, ids
from resolvers.context import Context
from resolvers.errors import BadInput, Forbidden
from resolvers.types.change import ChangeEvent, ChangePage, WebhookDeadLetter, WebhookEndpoint, WebhookSecret

__all__ = ["create_webhook", "dead_letters", "endpoints", "page", "replay", "stream"]

WAIT_SECONDS = 15.0
"""A subscription reads again at least this often, even if the head watcher saw nothing."""


def _filters(types: list[str] | None, profile_id: str | None) -> tuple[list[str] | None, str | None]:
    unknown = sorted(set(types or []) - set(ev.CATALOGUE))
    if unknown:
        raise BadInput(f"unknown event types {unknown}; expected some of {sorted(ev.CATALOGUE)}")
    pid = ids.decode(profile_id, "Profile")[1] if profile_id else None
    return types or None, pid


async def page(
    ctx: Context, after: str | None, first: int, types: list[str] | None, profile_id: str | None
) -> ChangePage:
    kinds, pid = _filters(types, profile_id)
    position = feed.decode_cursor(after)
    largest = ctx.config.max_page_size  # a page like every other list of the API
    if not 1 <= first <= largest:
        raise BadInput(f"first must be between 1 and {largest}")
    head = await ctx.feed.head() if kinds or pid else None
    rows = await feed.read_page(ctx.store, position, first + 1, kinds, pid, masked=ctx.masked)
    events = [ChangeEvent.of(feed.public(row, masked=ctx.masked)) for row in rows[:first]]
    has_more = len(rows) > first
    end = events[-1].position if events else position
    if not has_more and head is not None:
        end = max(end, head)  # nothing more matches up to the head: the next page starts there
    return ChangePage(events=events, end_cursor=str(end), has_more=has_more)


async def stream(
    ctx: Context, types: list[str] | None, profile_id: str | None, after: str | None
) -> AsyncGenerator[ChangeEvent, None]:
    """Events after `after` (default: from now on), then each new one as it commits."""
    if not ctx.authenticated:
        raise Forbidden('send an API key in connection_init: {"authorization": "Bearer <key>"}')
    kinds, pid = _filters(types, profile_id)
    position = feed.decode_cursor(after) if after is not None else await ctx.feed.head()
    while True:
        head = await ctx.feed.head() if kinds or pid else None
        rows = await feed.read_page(ctx.store, position, feed.MAX_PAGE, kinds, pid, masked=ctx.masked)
        for row in rows:
            position = row["position"]
            yield ChangeEvent.of(feed.public(row, masked=ctx.masked))
        if len(rows) == feed.MAX_PAGE:
            continue
        if head is not None:
            position = max(position, head)
        await ctx.feed.wait_beyond(position, WAIT_SECONDS)


async def endpoints(ctx: Context) -> list[WebhookEndpoint]:
    return [WebhookEndpoint.from_row(row) for row in await ctx.store.read("webhook_list")]


async def create_webhook(ctx: Context, url: str, types: list[str] | None, secret: str | None) -> WebhookSecret:
    graph = ctx.store.graph
    try:
        endpoint, key = await ctx.run_engine(
            "webhook.create",
            lambda: webhooks.create(
                graph, url, types, by=ctx.principal.name, allow_private=ctx.config.webhooks_allow_private, secret=secret
            ),
            refusals=webhooks.WebhookError,
        )
    except BadInput:
        raise
    row = next(r for r in await ctx.store.read("webhook_list") if r["id"] == endpoint)
    return WebhookSecret(endpoint=WebhookEndpoint.from_row(row), secret=key)


async def dead_letters(ctx: Context, endpoint: str | None) -> list[WebhookDeadLetter]:
    rows = await ctx.store.read("webhook_dead_letters", endpoint=endpoint)
    return [WebhookDeadLetter.from_row(row) for row in rows]


async def replay(ctx: Context, ids_: list[str], endpoint: str | None) -> int:
    rows = await ctx.store.write("webhook_replay_request", ids=ids_, endpoint=endpoint)
    requested: int = rows[0]["requested"]
    return requested


async def delete(ctx: Context, endpoint: str) -> bool:
    rows = await ctx.store.write("webhook_delete", id=endpoint)
    return bool(rows[0]["deleted"])
