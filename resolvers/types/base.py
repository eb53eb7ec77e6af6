"""Relay building blocks: the Node interface, cursor connections, and the resolver Info type."""

from typing import Generic, TypeVar

import strawberry

from resolvers.context import Context
from resolvers.cursors import list_size

__all__ = ["Connection", "Edge", "First", "Info", "Node", "PageInfo", "connection", "first_of"]

T = TypeVar("T")
Info = strawberry.Info[Context, None]

First = int | None
"""The `first` argument of every plain list field: at most this many items; when not given, as
many as the largest page (`C360_API_MAX_PAGE_SIZE`). Lists are bounded like pages."""


def first_of(info: Info, items: list[T], first: int | None) -> list[T]:
    """The items a list field answers with: at most `first`, and never more than a page."""
    return items[: list_size(first, info.context.config.max_page_size)]


@strawberry.interface(description="An object with a global id: fetch it again with `node(id)`.")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All items matching, across pages.")


def connection(items: list[tuple[str, T]], *, total: int, has_next: bool, has_previous: bool) -> Connection[T]:
    edges = [Edge(cursor=cursor, node=node) for cursor, node in items]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
