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

__all__ = ["PREFIX", "ROLES", "NewKey", "create", "digest", "list_keys", "matches", "revoke", "split"]

PREFIX = "c360_"
ROLES = ("app", "steward", "admin")


@dataclass(frozen=True)
class NewKey:
    id: str
    role: str
    name: str
    key: str


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


def create(graph: Graph, role: str, name: str = "") -> NewKey:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    graph.write("api_key_create", id=key_id, hash=digest(key), role=role, label=name, now=datetime.now(UTC))
    return NewKey(key_id, role, name, key)


def list_keys(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("api_keys_list")


def revoke(graph: Graph, key_id: str, by: str) -> bool:
    return bool(graph.write("api_key_revoke", id=key_id, by=by, now=datetime.now(UTC)))
