"""ASGI pieces around the endpoints: a request body cap, and HTTP metrics with one access-log line
per request."""

import logging
import re
import time
import uuid

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.metrics import Metrics

__all__ = ["BodyLimit", "HttpMetrics"]


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, before anything parses them.

    The body is read here (bounded) and replayed to the app, so a client that sends no
    Content-Length, or a false one, cannot get past the cap.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(f"request body larger than {self.limit} bytes", status_code=413)
        await response(scope, receive, send)


access = logging.getLogger("c360.access")

_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def request_id(scope: Scope) -> str:
    """The caller's X-Request-Id when it is a plain token (it ends up in logs), else a new one."""
    given = dict(scope["headers"]).get(b"x-request-id", b"")
    return given.decode() if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class HttpMetrics:
    """Count requests by route and status (unknown paths count as one route, "other"); give each
    request an id, echoed in X-Request-Id; with `access_log`, one log line per request with its
    id, route, status and time. Never the query string or body: they may hold personal data."""

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: frozenset[str], access_log: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = scope["path"] if scope["path"] in self.routes else "other"
        status = 500
        rid = scope["c360.request_id"] = request_id(scope)
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.http_requests.labels(route, str(status)).inc()
            if self.access_log:
                millis = round((time.perf_counter() - started) * 1000, 1)
                access.info(
                    "%s %s %d %.1fms",
                    scope["method"],
                    route,
                    status,
                    millis,
                    extra={
                        "request_id": rid,
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "ms": millis,
                    },
                )
