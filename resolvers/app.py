"""The ASGI app: /graphql, /events, /segments/{name}/export, /suppression/export, /healthz, /readyz
and /metrics around one Neo4j driver."""

import json
import logging
import math
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, cast

import anyio
from cross_web import HTTPException
from neo4j.api import BookmarkManager
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from graph.async_connection import AsyncGraph
from graph.connection import Graph
from graph.identity.batching import Overloaded
from loaders.engine import Engine
from resolvers import exports, ids, jsonbody, stewardship
from resolvers.auth import Authenticator, Principal, Role
from resolvers.config import ApiConfig
from resolvers.context import Context
from resolvers.errors import ClientError, Forbidden, shape
from resolvers.feed import HeadWatcher
from resolvers.http import BodyLimit, HttpMetrics
from resolvers.metrics import CONTENT_TYPE_LATEST, Metrics, write_path_text
from resolvers.ratelimit import RateLimiter
from resolvers.schema import build_schema
from resolvers.store import Store

__all__ = ["PAGE_HEADERS", "Connector", "create_app"]

log = logging.getLogger("c360.api")

READY_TIMEOUT = 5.0
ROUTES = frozenset({"/graphql", "/events", "/healthz", "/readyz", "/metrics"})
PAGE_HEADERS = {
    # Pages c360 serves load nothing from elsewhere: an asset missing locally fails visibly.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class _GraphQL(GraphQL[Context, None]):
    """Strawberry's view, reached only through `/graphql` POST after authentication."""

    def __init__(self, app: "Api") -> None:
        super().__init__(
            app.schema,
            graphql_ide="graphiql" if app.config.graphiql else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
            keep_alive=True,
            keep_alive_interval=15,
            connection_init_wait_timeout=timedelta(seconds=10),
        )
        self.api = app

    async def get_context(self, request: Any, response: Any) -> Context:
        if isinstance(request, WebSocket):
            return self.api.unauthenticated_context()
        return self.api.context(request)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """graphql-transport-ws: the connection_init payload carries the credentials, as
        `{"authorization": "Bearer <key or JWT>"}` (browsers cannot set headers on a websocket)."""
        params = context.connection_params or {}
        authorization = params.get("authorization", params.get("Authorization"))
        principal = await self.api.principal_of(authorization if isinstance(authorization, str) else None)
        if principal is None:
            raise ConnectionRejectionError({"message": 'send {"authorization": "Bearer <key>"} in connection_init'})
        if self.api.limiter.wait(principal.name) > 0:
            # A connection costs a request from the key's bucket, like any other.
            raise ConnectionRejectionError({"message": "Too many requests for this key; slow down."})
        context.principal = principal
        context.authenticated = True
        context.refresh()
        return cast(UnsetType, UNSET)

    def decode_json(self, data: str | bytes) -> object:
        # Only websocket messages come through here: HTTP bodies go through parse_json.
        return jsonbody.message(data)

    def parse_json(self, data: str | bytes) -> Any:
        # Strawberry checks the types of `query`, `variables` and `extensions` but calls `.get` on
        # any body and passes `operationName` on unchecked (into metric labels): both were 500s.
        try:
            body = jsonbody.decode(data)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"Unable to parse request body as JSON: {exc.msg}") from exc
        if not isinstance(body, dict | list):
            raise HTTPException(400, 'The body must be a JSON object: {"query": "...", "variables": {...}}')
        if isinstance(body, dict) and not isinstance(body.get("operationName"), str | None):
            raise HTTPException(400, "The GraphQL operation's `operationName` must be a string or null, if provided.")
        return body

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = shape(result.errors, debug=self.api.config.debug)
        return process_result(result)


class Connector(Protocol):
    """How the app reaches Neo4j; the application that builds the app provides it."""

    def connect(self) -> Graph: ...

    async def connect_async(self, bookmarks: BookmarkManager | None = None) -> AsyncGraph: ...


class Api:
    """The app's state: config, engine, schema, metrics, and (while running) the store and authenticator."""

    def __init__(
        self,
        config: ApiConfig,
        engine: Engine,
        connector: Connector,
        graph: Graph | None,
        metrics_dir: Path | None,
        id_key: bytes,
        graphiql_page: str | None = None,
    ) -> None:
        self.config = config
        self.id_key = id_key
        self.graphiql_page = graphiql_page
        self.engine = engine
        self._connector = connector
        self.metrics = Metrics(metrics_dir)
        self.schema = build_schema(self.config)
        self.view = _GraphQL(self)
        self.limiter = RateLimiter(self.config.rate_limit, self.config.rate_burst)
        self._given_graph = graph
        # Set by the lifespan: nothing touches Neo4j before the server starts.
        self.graph: Graph | None = None
        self.store: Store
        self.authenticate: Authenticator | None = None
        self.feed: HeadWatcher

    @asynccontextmanager
    async def lifespan(self, _: Starlette) -> AsyncIterator[None]:
        # Two drivers, one per kind of caller: the async one serves every query on the event
        # loop; the blocking one runs the identity engine and privacy operations in threads.
        graph: Graph = (
            self._given_graph
            if self._given_graph is not None
            else await anyio.to_thread.run_sync(self._connector.connect)
        )
        try:
            # One causal chain for both: a read right after the engine's write sees it.
            async_graph = await self._connector.connect_async(graph.bookmarks)
        except BaseException:
            if self._given_graph is None:
                graph.close()
            raise
        self.graph = graph
        self.store = Store(graph, async_graph, self.metrics)
        self.authenticate = Authenticator(self.config, self.store)
        self.feed = HeadWatcher(self.store, self.config.changes_poll_seconds)
        try:
            yield
        finally:
            await self.feed.close()
            await async_graph.close()
            # A graph handed in belongs to the caller; one opened here is closed here.
            if self._given_graph is None:
                graph.close()

    def context(self, request: Request) -> Context:
        return Context(self.engine, self.config, self.store, request.scope["c360.principal"], self.id_key, self.feed)

    def unauthenticated_context(self) -> Context:
        """A websocket's context until its connection_init authenticates it: the lowest role, no
        scopes, and subscriptions refuse to start while `authenticated` is false."""
        nobody = Principal("unauthenticated", Role.APP, frozenset())
        return Context(self.engine, self.config, self.store, nobody, self.id_key, self.feed, False)

    async def principal(self, request: Request) -> Principal | None:
        return await self.principal_of(request.headers.get("authorization"))

    async def principal_of(self, authorization: str | None) -> Principal | None:
        assert self.authenticate is not None, "the app is not started (lifespan)"
        return await self.authenticate(authorization)

    async def websocket(self, websocket: WebSocket) -> None:
        """Subscriptions over graphql-transport-ws on /graphql."""
        await self.view.run(websocket)

    async def admit(self, request: Request) -> Principal | Response:
        """The caller, or the answer for one that is unknown (401) or over its rate (429)."""
        principal = await self.principal(request)
        if principal is None:
            return _unauthorized()
        wait = self.limiter.wait(principal.name)
        if wait > 0:
            return _too_many(wait)
        request.scope["c360.principal"] = principal
        return principal

    async def graphql(self, request: Request) -> Response:
        if request.method == "GET":
            if self.config.graphiql:
                # The application hands in a page whose assets it serves itself; strawberry's own
                # page loads them from a CDN, so it is only the fallback of a bare API app.
                page = self.graphiql_page if self.graphiql_page is not None else self.view.graphql_ide_html
                return HTMLResponse(page, headers=PAGE_HEADERS if self.graphiql_page is not None else None)
            return PlainTextResponse("GraphQL queries go over POST", status_code=405, headers={"Allow": "POST"})
        admitted = await self.admit(request)
        if isinstance(admitted, Response):
            return admitted
        try:
            with anyio.fail_after(self.config.request_timeout):
                return await self.view.run(request)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        except TimeoutError:
            return _timed_out(self.config.request_timeout)

    async def events(self, request: Request) -> Response:
        admitted = await self.admit(request)
        if isinstance(admitted, Response):
            return admitted
        try:
            payload = jsonbody.decode(await request.body())
        except ValueError:
            return JSONResponse({"error": 'the body must be JSON: {"mapping": ..., "row": {...}}'}, 400)
        if not isinstance(payload, dict) or not isinstance(payload.get("mapping"), str):
            return JSONResponse({"error": 'expected {"mapping": "<built-in mapping>", "row": {...}}'}, 400)
        try:
            result = await stewardship.ingest(self.context(request), payload["mapping"], payload.get("row"))
        except ClientError as exc:
            return JSONResponse({"error": exc.message}, 403 if isinstance(exc, Forbidden) else 400)
        except Overloaded as exc:
            # Back-pressure: resolution is behind. 429 = not accepted, 503 = stored, not yet resolved.
            headers = {"Retry-After": str(exc.retry_after)}
            return JSONResponse({"error": str(exc)}, exc.status, headers=headers)
        body = {
            "quarantined": bool(result["quarantined"]),
            "reasons": [str(r) for r in result["reasons"]],
            "profileIds": [ids.encode("Profile", pid) for pid in result["profile_ids"]],
            "fieldsRejected": [{"field": f["field"], "reason": f["reason"]} for f in result.get("fields_rejected", [])],
        }
        return JSONResponse(body, 422 if body["quarantined"] else 200)

    async def segment_export(self, request: Request) -> Response:
        admitted = await self.admit(request)
        if isinstance(admitted, Response):
            return admitted
        return await exports.segment_export(self.context(request), request.path_params["name"], request.query_params)

    async def suppression_export(self, request: Request) -> Response:
        admitted = await self.admit(request)
        if isinstance(admitted, Response):
            return admitted
        return await exports.suppression_export(self.context(request), request.query_params)

    async def healthz(self, _: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(self, _: Request) -> Response:
        try:
            with anyio.fail_after(READY_TIMEOUT):
                await self.store.read("api_ping")
        except Exception as exc:  # any failure means "not ready": reported, not raised
            log.warning("not ready: %s", exc)
            return JSONResponse({"status": "unavailable"}, 503)
        return JSONResponse({"status": "ready"})

    async def prometheus(self, request: Request) -> Response:
        if await self.principal(request) is None:
            return _unauthorized()
        return Response(self.metrics.render() + await self._write_path_metrics(), media_type=CONTENT_TYPE_LATEST)

    async def _write_path_metrics(self) -> bytes:
        """Queue depth and lag of the write path (graph-wide), and this worker's micro-batches."""
        row = (await self.store.read("identity_pending_stats"))[0]
        self.engine.batcher.observe_pending(row["pending"])
        oldest = row["oldest"]  # already a Python datetime (Store.read)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
        return write_path_text(row["pending"], age, self.engine.batcher.stats)


def _unauthorized() -> Response:
    body = {
        "errors": [
            {
                "message": "Authentication required: send Authorization: Bearer <API key or JWT>.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }
    return JSONResponse(body, 401, headers={"WWW-Authenticate": "Bearer"})


def _too_many(wait: float) -> Response:
    error = {"message": "Too many requests for this key; slow down.", "extensions": {"code": "RATE_LIMITED"}}
    body = {"errors": [error]}
    return JSONResponse(body, 429, headers={"Retry-After": str(max(1, math.ceil(wait)))})


def _timed_out(seconds: float) -> Response:
    # A GraphQL answer (200, no data): the document was fine, the work too much for the deadline.
    message = f"The request took longer than {seconds:g} s and was stopped; ask for less (smaller pages, fewer fields)."
    return JSONResponse({"data": None, "errors": [{"message": message, "extensions": {"code": "TIMEOUT"}}]})


def create_app(
    config: ApiConfig,
    engine: Engine,
    connector: Connector,
    graph: Graph | None = None,
    *,
    metrics_dir: Path | None = None,
    pages: Sequence[BaseRoute] = (),
    graphiql_page: str | None = None,
    id_key: bytes | None = None,
) -> Starlette:
    """The API app. Without `graph` it connects on startup (lifespan) and disconnects on shutdown.
    `metrics_dir` is the directory the workers of one server share their metrics through.
    `pages` are routes of browser pages (the web app), which talk to the API like any client;
    `graphiql_page` replaces strawberry's GraphiQL page (whose assets come from a CDN).
    `id_key` keys the masked identifier ids (`C360_API_ID_KEY`, read at the edge); without it a
    random key of this process's own, so masked ids differ between processes and restarts."""
    api = Api(config, engine, connector, graph, metrics_dir, id_key or secrets.token_bytes(32), graphiql_page)
    app = Starlette(
        routes=[
            Route("/graphql", api.graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", api.websocket),
            Route("/events", api.events, methods=["POST"]),
            Route("/segments/{name}/export", api.segment_export, methods=["GET"]),
            Route("/suppression/export", api.suppression_export, methods=["GET"]),
            Route("/healthz", api.healthz, methods=["GET"]),
            Route("/readyz", api.readyz, methods=["GET"]),
            Route("/metrics", api.prometheus, methods=["GET"]),
            *pages,
        ],
        middleware=[
            Middleware(HttpMetrics, metrics=api.metrics, routes=ROUTES, access_log=config.access_log),
            Middleware(BodyLimit, limit=api.config.max_body_bytes),
        ],
        lifespan=api.lifespan,
    )
    app.state.api = api
    return app
