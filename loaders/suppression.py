"""Erased people stay out of loads and of the quarantine.

The check behind `rows_suppressed` (entries are keyed hashes, see graph/privacy/suppression.py):
a mapped row is suppressed when a person entity's record id or identifier hashes to an entry;
a row bound for the quarantine (or already in it) when any of its values, normalized as loads
normalize identifiers, does. Entries are re-read whenever their count changed (`refresh`, one
cheap query a batch), so a long load that started before an erasure honours it.
"""

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from graph import normalize
from graph.connection import Graph
from graph.privacy import suppression
from loaders.rows import MappedRow

__all__ = ["DEFAULT_KINDS", "Suppression", "raw_tokens"]

# Strong identifier kinds of the built-in rules that a source row can carry itself.
DEFAULT_KINDS = ("cookie", "email", "login", "loyalty", "national_id", "phone")
# No identifier or record id is longer; longer values are text, not keys.
_MAX_VALUE = 320
_PHONE_LIKE = re.compile(r"[+(]?[\d][\d\s().\-/]{5,30}")
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){1,320})"')
_PIECE = re.compile(r"[^,;\t\r\n|\"]+")
_EMAIL_LIKE = re.compile(r"[^\s,;:\"'<>()\[\]{}]+@[^\s,;:\"'<>()\[\]{}]+")


def _candidates(raw: Any) -> Iterator[str]:
    """Every value a raw row could name a person by: scalars of a parsed row; for a line that
    never parsed, its JSON strings, delimited pieces and email-like words."""
    stack = [raw]
    while stack:  # iterative: a quarantined row may be nested deeper than the stack allows
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            yield value
            if len(value) > _MAX_VALUE or any(ch in value for ch in ',;\t\n|"'):
                yield from _pieces(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield str(value)


def _pieces(text: str) -> Iterator[str]:
    for match in _JSON_STRING.finditer(text):
        try:
            yield json.loads(f'"{match[1]}"')
        except ValueError:
            yield match[1]
    yield from _PIECE.findall(text)
    yield from _EMAIL_LIKE.findall(text)


def raw_tokens(raw: Any, sources: Iterable[str], region: str, kinds: Iterable[str] = DEFAULT_KINDS) -> set[str]:
    """Suppression tokens (`record:<uid>`, `<kind>:<value>`) a raw row could stand for."""
    sources, kinds = sorted(set(sources)), sorted(set(kinds))
    tokens: set[str] = set()
    for value in {v for v in _candidates(raw) if len(v) <= _MAX_VALUE}:
        text = normalize.text(value)
        if not text:
            continue
        tokens.update(suppression.record_token(f"{source}:{text}") for source in sources)
        for kind in kinds:
            if (kind == "email" and "@" not in text) or (kind == "phone" and not _PHONE_LIKE.fullmatch(text)):
                continue  # cheap pre-checks: parsing every value as a phone is slow
            try:
                tokens.add(f"{kind}:{normalize.identifier(kind, text, region)}")
            except ValueError:
                continue
    return tokens


class Suppression:
    """The suppression entries as of the last `refresh`, checked against rows."""

    def __init__(
        self, graph: Graph, secret: bytes, *, region: str = "GB", kinds: Iterable[str] = DEFAULT_KINDS
    ) -> None:
        self._graph = graph
        self._secret = secret
        self._region = region
        self._kinds = tuple(kinds)
        self._count = -1
        self._hashes: frozenset[str] = frozenset()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the entries if any were added since the last look. Entries are only ever
        added (MERGE on the hash), so an unchanged count means an unchanged set."""
        count = suppression.count(self._graph)
        if count != self._count:
            # Nobody erased (the common case) costs the count query alone.
            self._hashes = frozenset(suppression.hashes(self._graph)) if count else frozenset()
            self._count = count

    @property
    def active(self) -> bool:
        return bool(self._hashes)

    def _any(self, tokens: Iterable[str]) -> bool:
        return any(suppression.digest(self._secret, token) in self._hashes for token in tokens)

    def row(self, row: MappedRow) -> bool:
        """True for a mapped row that names a suppressed record or identifier."""
        if not self._hashes:
            return False
        return any(
            self._any([suppression.record_token(entity.uid), *(item["key"] for item in entity.identifiers)])
            for entity in row.entities
            if entity.kind == "person"
        )

    __call__ = row

    def raw(self, source: str | None, raw: Any) -> bool:
        """True for a raw row (one that failed to map or parse) that names a suppressed person."""
        if not self._hashes or raw is None:
            return False
        return self._any(raw_tokens(raw, [source] if source else [], self._region, self._kinds))

    def entry(self, entry: dict[str, Any]) -> bool:
        """The matcher for `loaders.quarantine.purge`."""
        source = entry.get("source")
        return self.raw(source if isinstance(source, str) else None, entry.get("raw"))
