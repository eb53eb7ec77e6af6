"""Catalog of Cypher statements: one statement per `.cypher` file, loaded by name."""

from functools import cache
from importlib import resources
from typing import LiteralString, cast

__all__ = ["load", "names"]


@cache
def load(name: str) -> LiteralString:
    """The text of `queries/<name>.cypher`; unknown names raise KeyError."""
    if not name.isidentifier():
        raise KeyError(name)
    path = resources.files(__name__).joinpath(f"{name}.cypher")
    if not path.is_file():
        raise KeyError(name)
    # Query text comes only from files shipped with c360, never from callers: safe to type as literal.
    return cast(LiteralString, path.read_text(encoding="utf-8").strip())  # type: ignore[redundant-cast]


def names() -> list[str]:
    return sorted(
        entry.name.removesuffix(".cypher")
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".cypher")
    )
