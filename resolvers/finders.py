"""Top-level ways to find profiles: by page, by full-text search, by identifier."""

import re

from graph.normalize import identifier
from resolvers import cursors, privacy, search
from resolvers.errors import BadInput, Forbidden
from resolvers.types.base import Connection, Info, connection
from resolvers.types.consent import ConsentFilter
from resolvers.types.profile import Profile

__all__ = ["by_identifier", "page", "search_profiles"]

_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_VALUE = 256
SEARCH_HITS = 1000
"""Full-text hits considered per search; ranks beyond that are not worth paging to."""


async def _allowed(info: Info, consented_to: ConsentFilter | None) -> list[str] | None:
    """The profiles a consent filter lets through; None for no filter."""
    if consented_to is None:
        return None
    return await privacy.allowed(info.context, consented_to.purpose, consented_to.channel)


async def page(
    info: Info, first: int | None, after: str | None, consented_to: ConsentFilter | None
) -> Connection[Profile]:
    context = info.context
    limit = cursors.page_size(first, context.config.max_page_size)
    position = cursors.decode(after, "p", str)
    rows = await context.store.read(
        "api_profiles_page",
        after=position[0] if position else None,
        limit=limit + 1,
        see_restricted=context.see_restricted,
        only=await _allowed(info, consented_to),
    )
    profiles = rows[0]["profiles"]
    items = [(cursors.encode("p", row["pid"]), Profile.visible(context, row)) for row in profiles[:limit]]
    return connection(
        [(c, p) for c, p in items if p is not None],
        total=rows[0]["total"],
        has_next=len(profiles) > limit,
        has_previous=position is not None,
    )


async def search_profiles(
    info: Info, text: str, first: int | None, after: str | None, consented_to: ConsentFilter | None
) -> Connection[Profile]:
    context = info.context
    limit = cursors.page_size(first, context.config.max_page_size)
    position = cursors.decode(after, "s", int)
    offset = position[0] + 1 if position else 0
    if offset < 0:
        raise BadInput("invalid cursor")
    if context.masked:  # names only, and identifiers by exact value of the kinds allowed
        lucene = search.lucene_query(text, search.NAME_FIELDS)
        keys = search.exact_keys(text, context.engine.region, context.config.app_lookup_kinds)
    else:
        lucene = search.lucene_query(text)
        keys = search.exact_keys(text, context.engine.region)
    if lucene is None and not keys:
        return connection([], total=0, has_next=False, has_previous=False)
    rows = await context.store.read(
        "api_search_profiles",
        lucene=lucene,
        keys=keys,
        hits=SEARCH_HITS,
        offset=offset,
        limit=limit + 1,
        see_restricted=context.see_restricted,
        only=await _allowed(info, consented_to),
    )
    hits = rows[0]["profiles"]
    items = [(cursors.encode("s", offset + i), Profile.visible(context, row)) for i, row in enumerate(hits[:limit])]
    return connection(
        [(c, p) for c, p in items if p is not None],
        total=rows[0]["total"],
        has_next=len(hits) > limit,
        has_previous=offset > 0,
    )


async def by_identifier(info: Info, kind: str, value: str) -> list[Profile]:
    """Profiles holding the identifier, its value normalized exactly as the loaders do."""
    if not _KIND.fullmatch(kind):
        raise BadInput("kind must be a lower-case identifier kind such as email, phone or loyalty")
    if len(value) > MAX_VALUE:
        raise BadInput(f"value is longer than {MAX_VALUE} characters")
    allowed = info.context.config.app_lookup_kinds
    if info.context.masked and kind not in allowed:
        raise Forbidden(f"the app role looks profiles up by {', '.join(allowed)} only")
    try:
        normalized = identifier(kind, value, info.context.engine.region)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    rows = await info.context.store.read("api_profiles_by_identifier", key=f"{kind}:{normalized}")
    return [p for p in (Profile.visible(info.context, row["profile"]) for row in rows) if p is not None]
