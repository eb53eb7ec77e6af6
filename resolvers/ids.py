"""Relay global ids: an opaque, URL-safe encoding of (type, key), checked on the way in.

A caller can hand back any string as an id. Decoding accepts only canonical base64url of
"<Type>:<key>" where Type is on the allow-list below, so a hostile id can neither name a label
that is not an API type nor smuggle text anywhere but into a query parameter.
"""

import base64
import binascii
import hashlib
import hmac

from resolvers.errors import BadInput

__all__ = ["NODE_TYPES", "decode", "encode", "identifier_id", "keyed_digest"]

# The only types an id can name (SourceRecord reads Customer nodes; the rest their namesakes).
NODE_TYPES = frozenset(
    {"Profile", "SourceRecord", "Identifier", "Household", "Organization", "Account", "Device", "Touchpoint"}
)

_MAX_ID = 1024


def encode(type_name: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode("ascii").rstrip("=")


def decode(global_id: str, *expected: str) -> tuple[str, str]:
    """(type, key) of a global id; with `expected`, the type must be one of them."""
    if len(global_id) > _MAX_ID:
        raise BadInput("invalid id: too long")
    try:
        raw = base64.b64decode(global_id + "=" * (-len(global_id) % 4), altchars=b"-_", validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadInput(f"invalid id {global_id[:64]!r}") from None
    type_name, sep, key = text.partition(":")
    # Re-encoding must give the same string: one id per node, nothing hidden in padding bits.
    if not sep or not key or type_name not in NODE_TYPES or encode(type_name, key) != global_id:
        raise BadInput(f"invalid id {global_id[:64]!r}")
    if expected and type_name not in expected:
        raise BadInput(f"id {global_id[:64]!r} is a {type_name} id; expected {' or '.join(expected)}")
    return type_name, key


def identifier_id(key: str, *, masked_with: bytes | None) -> str:
    """An Identifier's id. Ids are opaque, not secret (base64 decodes), so callers who see masked
    values get an HMAC of the key under the server's secret `masked_with` instead: stable, does
    not resolve, and, unlike a plain digest, cannot be tested against guessed emails or phones."""
    if masked_with is not None:
        return encode("Identifier", "#" + keyed_digest(masked_with, key))
    return encode("Identifier", key)


def keyed_digest(secret: bytes, text: str) -> str:
    """HMAC-SHA256 of `text` under the server's id key, shortened: stable, and only the server can
    compute it from a value."""
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:32]
