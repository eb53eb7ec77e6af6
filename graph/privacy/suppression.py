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
import os
import secrets
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from graph.connection import Graph

__all__ = ["KEY_FILE", "add", "count", "digest", "hashes", "key", "record_token"]

KEY_FILE = "suppression.key"


def key(configured: str | None, home: Path) -> bytes:
    """The configured key (`C360_SUPPRESSION_KEY`), else `home/suppression.key`, generated
    (mode 0600) on first use."""
    if configured is not None:
        return configured.encode()
    path = home / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes generating at once must not end up with different keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode()


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
