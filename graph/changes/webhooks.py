"""Webhook endpoints, their delivery cursors and dead letters, and how deliveries are signed.

Admins register an endpoint (URL, event types, secret). Each endpoint has a cursor: the last
position it acknowledged (2xx) or that did not concern it. The delivery loop (c360/delivery.py)
sends events after the cursor one at a time, so an endpoint sees events in position order (and so
in order per profile); a failing event is retried with backoff and, after the configured number
of attempts, goes to the dead letters (kept, listed, replayable) and the cursor moves past it.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookError",
    "addresses",
    "body",
    "check_url",
    "create",
    "dead_letters",
    "delete",
    "endpoints",
    "replay",
    "resolve",
    "sign",
    "verify",
]

SIGNATURE_HEADER = "C360-Signature"
MAX_URL = 2048


class WebhookError(ValueError):
    """A URL, event type or endpoint the request cannot use."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, once. The one seam of name resolution: `addresses`
    checks what it returns and the delivery connects to exactly that (c360/pinned.py)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses of `host`, all public unless `allow_private` (loopback, private, link-local
    and reserved targets would let a caller reach internal services)."""
    try:
        found = resolve(host, port)
    except (OSError, ValueError, UnicodeError) as exc:
        raise WebhookError(f"cannot resolve {host}: {exc}") from None
    if not found:
        raise WebhookError(f"{host} resolves to no address")
    if not allow_private:
        for text in found:
            address = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone is not part of it
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
            if not address.is_global:
                raise WebhookError(
                    f"{host} resolves to {address}, a private or loopback address "
                    "(allowed only with C360_WEBHOOKS_ALLOW_PRIVATE=true)"
                )
    return found


def check_url(url: str, *, allow_private: bool) -> str:
    """An http(s) URL without credentials whose host resolves only to public addresses, unless
    `allow_private`. Deliveries check again when they connect, and connect to what they checked."""
    if len(url) > MAX_URL:
        raise WebhookError(f"the URL is longer than {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("the URL must be http:// or https:// with a host")
    if parts.username or parts.password:
        raise WebhookError("the URL must not carry credentials; use the signing secret")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookError(f"bad port: {exc}") from None
    addresses(parts.hostname, port, allow_private=allow_private)
    return url


def _types(types: list[str] | None) -> list[str] | None:
    if not types:
        return None
    unknown = sorted(set(types) - set(ev.CATALOGUE))
    if unknown:
        raise WebhookError(f"unknown event types {unknown}; expected some of {sorted(ev.CATALOGUE)}")
    return sorted(set(types))


def create(
    graph: Graph,
    url: str,
    types: list[str] | None,
    *,
    by: str,
    allow_private: bool,
    secret: str | None = None,
    since: int | None = None,
) -> tuple[str, str]:
    """Register an endpoint; returns (id, secret). It gets events after `since` (default: from now on)."""
    check_url(url, allow_private=allow_private)
    if secret is not None and len(secret) < 16:
        raise WebhookError("the secret must have at least 16 characters")
    secret = secret or "whsec_" + secrets.token_urlsafe(32)
    cursor = outbox.head(graph) if since is None else since
    endpoint = "wh_" + uuid.uuid4().hex[:16]
    graph.write(
        "webhook_create",
        id=endpoint,
        url=url,
        types=_types(types),
        secret=secret,
        cursor=cursor,
        now=datetime.now(UTC),
        by=by,
    )
    return endpoint, secret


def endpoints(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("webhook_list")


def delete(graph: Graph, endpoint: str) -> bool:
    return bool(graph.write("webhook_delete", id=endpoint)[0]["deleted"])


def dead_letters(graph: Graph, endpoint: str | None = None) -> list[dict[str, Any]]:
    return graph.read("webhook_dead_letters", endpoint=endpoint)


def replay(graph: Graph, ids: list[str], endpoint: str | None = None) -> int:
    """Ask the delivery loop to send these dead letters (or all of an endpoint's) once more."""
    requested: int = graph.write("webhook_replay_request", ids=ids, endpoint=endpoint)[0]["requested"]
    return requested


def body(event: dict[str, Any]) -> bytes:
    """The JSON document a delivery posts (the same fields as the `changes` query)."""
    at = event["at"]
    document = {
        "id": event["id"],
        "position": event["position"],
        "type": event["type"],
        "at": at.isoformat() if hasattr(at, "isoformat") else str(at),
        "profile_id": event["profile_id"],
        "profile_ids": event["profile_ids"],
        "fields": event["fields"],
        "data": json.loads(event["data"] or "{}"),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, payload: bytes, timestamp: int) -> str:
    """The `C360-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, payload: bytes, header: str, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (and the tests): a valid signature made within `tolerance` seconds."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = sign(secret, payload, timestamp).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, fields.get("v1", ""))
