"""API keys: `c360_<id>_<secret>`, shown once at creation; Neo4j keeps only a digest.

Keys live as `(:ApiKey)` nodes rather than in a file so that every API process and host that
serves the same graph sees the same keys and the same revocations. The secret is 256 random
bits, so a plain SHA-256 digest is enough: there is nothing to brute-force, and a slow password
hash would only make every uncached request slower.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph.connection import Graph
from loaders.mapping import builtin_names
from resolvers.scopes import Scope, for_role

__all__ = ["PREFIX", "ROLES", "NewKey", "create", "digest", "list_keys", "matches", "revoke", "split"]

PREFIX = "c360_"
ROLES = ("app", "steward", "admin")


@dataclass(frozen=True)
class NewKey:
    id: str
    role: str
    name: str
    key: str
    scopes: frozenset[Scope]
    mappings: tuple[str, ...] | None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split(key: str) -> str | None:
    """The id part of a well-formed key, else None."""
    if not key.startswith(PREFIX):
        return None
    key_id, sep, secret = key[len(PREFIX) :].partition("_")
    if not sep or len(key_id) != 12 or not secret or len(key) > 128:
        return None
    return key_id


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(key), stored_hash)


def create(
    graph: Graph,
    role: str,
    name: str = "",
    *,
    scopes: list[str] | None = None,
    mappings: list[str] | None = None,
) -> NewKey:
    """A key with `role`, and `scopes` (None: the role's defaults). `mappings` names the built-in
    mappings it may ingest through (None: all); a key given the ingest scope explicitly must name
    them, so that least privilege is the way keys are made."""
    granted = for_role(role, scopes)
    if mappings is not None:
        unknown = sorted(set(mappings) - set(builtin_names()))
        if unknown or not mappings:
            raise ValueError(f"unknown mapping(s) {', '.join(unknown)}; expected some of {', '.join(builtin_names())}")
    if scopes is not None and Scope.INGEST in granted and mappings is None:
        raise ValueError("a key with the ingest scope names the mappings it may use (--mapping)")
    if mappings is not None and Scope.INGEST not in granted:
        raise ValueError("mappings are for keys with the ingest scope")
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    graph.write(
        "api_key_create",
        id=key_id,
        hash=digest(key),
        role=role,
        label=name,
        now=datetime.now(UTC),
        scopes=sorted(granted) if scopes is not None else None,
        mappings=sorted(set(mappings)) if mappings is not None else None,
    )
    return NewKey(key_id, role, name, key, granted, tuple(sorted(set(mappings))) if mappings is not None else None)


def list_keys(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("api_keys_list")


def revoke(graph: Graph, key_id: str, by: str) -> bool:
    return bool(graph.write("api_key_revoke", id=key_id, by=by, now=datetime.now(UTC)))
