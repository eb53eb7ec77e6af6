"""Scopes: what a caller may do, on top of what its role lets it see.

The role decides what a caller sees (`app`: masked; `steward`: everything; `admin`: also keys and
the audit log). Scopes decide what it may do: `read` (queries), `ingest` (`POST /events`,
`ingestEvent`, through the mappings the key names), `consent` (ingest through a mapping with a
consent entity), `steward` (steward mutations), `admin` (key revocation, export, erasure).

A key or token without scopes of its own has its role's defaults, which keep what stewards and
admins could always do and make front-end `app` keys read-only. Scopes beyond what the role
allows are refused when a key is created (and a token that claims them is refused).
"""

from collections.abc import Iterable
from enum import StrEnum

__all__ = ["ALLOWED", "DEFAULTS", "Scope", "for_role"]


class Scope(StrEnum):
    READ = "read"
    INGEST = "ingest"
    CONSENT = "consent"
    STEWARD = "steward"
    ADMIN = "admin"


_ALL = frozenset(Scope)
DEFAULTS: dict[str, frozenset[Scope]] = {
    "app": frozenset({Scope.READ}),
    "steward": frozenset({Scope.READ, Scope.INGEST, Scope.CONSENT, Scope.STEWARD}),
    "admin": _ALL,
}
ALLOWED: dict[str, frozenset[Scope]] = {
    "app": frozenset({Scope.READ, Scope.INGEST, Scope.CONSENT}),
    "steward": frozenset({Scope.READ, Scope.INGEST, Scope.CONSENT, Scope.STEWARD}),
    "admin": _ALL,
}


def for_role(role: str, requested: Iterable[str] | None) -> frozenset[Scope]:
    """The scopes of a caller with `role` that asked for `requested` (None: the role's defaults).
    ValueError names what is wrong."""
    if role not in DEFAULTS:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(DEFAULTS)}")
    if requested is None:
        return DEFAULTS[role]
    names = list(requested)
    unknown = sorted({n for n in names if n not in Scope.__members__.values()})
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(unknown)}; expected {', '.join(s.value for s in Scope)}")
    scopes = frozenset(Scope(n) for n in names)
    beyond = sorted(scopes - ALLOWED[role])
    if beyond:
        raise ValueError(f"the {role} role cannot have scope(s) {', '.join(beyond)}")
    return scopes
