"""Turn what a user types into a safe Lucene query and exact identifier keys.

User text never reaches Lucene's query parser as syntax: every term is lower-cased and every
special character escaped, then combined with our own operators (exact, prefix, fuzzy). Text that
normalizes as an email or phone number is also looked up exactly, so a search for
`" Ann@X.org "` or `07911 123456` finds the record even where the analyzer splits it.

Callers who see identifiers masked (the app role) search names only: a prefix or fuzzy query
over identifier values would tell them which emails and phones exist, one guessed letter at a
time. They find people by identifier with an exact value only, and only of the kinds allowed
to them.
"""

import re

from graph.normalize import identifier
from resolvers.errors import BadInput

__all__ = ["MAX_QUERY_LENGTH", "NAME_FIELDS", "exact_keys", "lucene_query"]

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
NAME_FIELDS = ("full_name", "first_name", "last_name", "name")
"""The properties of the `search_text` index that are names, not identifier values."""
# Lucene's classic query syntax: + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def _checked(text: str) -> str:
    if len(text) > MAX_QUERY_LENGTH:
        raise BadInput(f"query is longer than {MAX_QUERY_LENGTH} characters")
    return text


def lucene_query(text: str, fields: tuple[str, ...] | None = None) -> str | None:
    """A Lucene query matching any term exactly, as a prefix, or (4+ letters) with one typo; in
    every indexed property, or only in `fields`."""
    parts = []
    for term in _checked(text).lower().split()[:MAX_TERMS]:
        escaped = _SPECIAL.sub(r"\\\1", term)
        fuzzy = f" OR {escaped}~1" if len(term) >= 4 else ""
        match = f"({escaped}^4 OR {escaped}*{fuzzy})"
        parts.append(f"({' OR '.join(f'{field}:{match}' for field in fields)})" if fields else match)
    return " ".join(parts) or None


def exact_keys(text: str, region: str, kinds: tuple[str, ...] = ("email", "phone")) -> list[str]:
    """Identifier keys the whole text normalizes to, as an email or as a phone number (of `kinds`)."""
    keys = []
    for kind in ("email", "phone"):
        if kind not in kinds:
            continue
        try:
            keys.append(f"{kind}:{identifier(kind, _checked(text), region)}")
        except ValueError:
            continue
    return keys
