"""Suppression entries: erased people stay erased when their source rows arrive again.

An entry is `(:Suppression {hash, at})` where `hash` is HMAC-SHA256, under a secret key kept
outside the graph, of one token of the erased person: `record:<uid>` for each source record
(catches order or consent rows that only reference the record) and `<kind>:<value>` for each
normalized strong identifier that was theirs alone. The graph never holds the values, and
without the key the hashes cannot be tested against guessed emails or phones. Rotating the
key orphans existing entries, so keep the key file with the database backups.
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from graph.connection import Graph

__all__ = ["KEY_FILE", "add", "count", "digest", "hashes", "record_token"]

KEY_FILE = "suppression.key"
"""Where the key is kept under C360_HOME when none is configured (c360/keyfile.py reads it)."""


def digest(secret: bytes, token: str) -> str:
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def record_token(uid: str) -> str:
    return f"record:{uid}"


def add(graph: Graph, hashes: Iterable[str], now: datetime) -> int:
    return int(graph.write("privacy_suppression_add", hashes=sorted(set(hashes)), now=now)[0]["entries"])


def count(graph: Graph) -> int:
    """How many entries exist: a cheap check whether a cached set of hashes is still whole."""
    return int(graph.read("privacy_suppression_count")[0]["entries"])


def hashes(graph: Graph) -> list[str]:
    """Every entry's hash (the check against rows is loaders/suppression.py)."""
    return list(graph.read("privacy_suppression_hashes")[0]["hashes"])
