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
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from graph.connection import Graph

__all__ = ["KEY_FILE", "Checker", "add", "checker", "digest", "key", "record_token"]

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


class _Entity(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def uid(self) -> str: ...
    @property
    def identifiers(self) -> Sequence[dict[str, Any]]: ...


class _Row(Protocol):
    """What the check reads of a mapped row (loaders.rows.MappedRow): its entities."""

    @property
    def entities(self) -> Sequence[_Entity]: ...


class Checker:
    """True for a mapped row that names a suppressed record or strong identifier."""

    def __init__(self, secret: bytes, hashes: Iterable[str]) -> None:
        self._secret = secret
        self._hashes = frozenset(hashes)

    def __call__(self, row: _Row) -> bool:
        for entity in row.entities:
            if entity.kind != "person":
                continue
            tokens = [record_token(entity.uid), *(item["key"] for item in entity.identifiers)]
            if any(digest(self._secret, token) in self._hashes for token in tokens):
                return True
        return False


def checker(graph: Graph, secret: bytes) -> Checker | None:
    """The check for `loaders.pipeline.load(..., suppress=...)`; None when nobody was erased,
    so ordinary loads pay nothing for it."""
    hashes = graph.read("privacy_suppression_hashes")[0]["hashes"]
    return Checker(secret, hashes) if hashes else None
