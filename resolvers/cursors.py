"""Opaque connection cursors and page-size checks.

A cursor is base64url JSON `[kind, ...position]`; its kind is checked so that a cursor from one
connection cannot be replayed against another. Profiles page by key (pid), touchpoints by
(time, uid) keyset, search results by rank offset (ranks are not a key).
"""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from resolvers.errors import BadInput

__all__ = ["DEFAULT_PAGE", "MAX_CURSOR", "decode", "encode", "list_size", "page_size"]

DEFAULT_PAGE = 20
MAX_CURSOR = 512
"""Our own cursors are well under this; a longer one is caller junk (and would become part of
a coalescing lane's key and a query parameter)."""


def encode(kind: str, *position: Any) -> str:
    payload = json.dumps([kind, *position], separators=(",", ":"), default=_iso)
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")


def decode(cursor: str | None, kind: str, *shape: type) -> list[Any] | None:
    """The position in a cursor of `kind`, each part of the given type; None when no cursor."""
    if cursor is None:
        return None
    if len(cursor) > MAX_CURSOR:
        raise BadInput(f"invalid cursor: longer than {MAX_CURSOR} characters")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadInput("invalid cursor") from None
    if (
        not isinstance(value, list)
        or len(value) != len(shape) + 1
        or value[0] != kind
        or not all(isinstance(part, t) for part, t in zip(value[1:], shape, strict=True))
    ):
        raise BadInput("invalid cursor")
    return value[1:]


def page_size(first: int | None, limit: int) -> int:
    if first is None:
        return min(DEFAULT_PAGE, limit)
    if not 0 <= first <= limit:
        raise BadInput(f"first must be between 0 and {limit}")
    return first


def list_size(first: int | None, limit: int) -> int:
    """How many items a plain list field returns: `first`, or when not given the most allowed."""
    if first is None:
        return limit
    if not 0 <= first <= limit:
        raise BadInput(f"first must be between 0 and {limit}")
    return first


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")
