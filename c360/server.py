"""One API server process: the app built from settings, served by uvicorn.

Both `c360 serve` (one process) and each worker of `c360 serve --workers N` run this.
"""

import gc
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from c360 import logs, runtime, web
from c360.delivery import Deliverer
from c360.keyfile import api_id_key
from c360.settings import Settings
from graph.connection import Graph
from resolvers.app import create_app

__all__ = ["GRACEFUL_SHUTDOWN_SECONDS", "build_app", "serve_on"]

GRACEFUL_SHUTDOWN_SECONDS = 10

log = logging.getLogger("c360.webhooks")


def build_app(settings: Settings, graph: Graph | None = None, *, metrics_dir: Path | None = None) -> Starlette:
    """The API app wired from settings: its config, the process's engine, and how to reach Neo4j."""
    return create_app(
        runtime.api_config(settings),
        runtime.engine(settings),
        runtime.Connector(settings),
        graph,
        metrics_dir=metrics_dir,
        pages=web.routes(),
        graphiql_page=web.graphiql_page(),
        id_key=api_id_key(settings),
    )


class _Server(uvicorn.Server):
    """Says when it is serving: a worker that dies before then will not start on a retry either."""

    def __init__(self, config: uvicorn.Config, ready: EventType | None) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._ready is not None:
            self._ready.set()


def serve_on(
    settings: Settings,
    host: str,
    port: int,
    *,
    sockets: list[socket.socket] | None = None,
    metrics_dir: Path | None = None,
    ready: EventType | None = None,
) -> None:
    """One server process on `host`:`port`, or on `sockets` already bound there (a worker)."""
    logs.configure(settings.log_level, settings.log_format)
    server = _Server(
        uvicorn.Config(
            build_app(settings, metrics_dir=metrics_dir),
            host=host,
            port=port,
            # The app logs one line per request itself (with its id), when C360_API_ACCESS_LOG asks.
            access_log=False,
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            # Subscriptions (graphql-transport-ws) need a websocket implementation.
            ws="websockets-sansio",
        ),
        ready,
    )
    # What exists now (modules, schema, app) lives as long as the process: no collection needs to
    # scan it again.
    gc.freeze()
    with webhook_delivery(settings):
        server.run(sockets=sockets)


@contextmanager
def webhook_delivery(settings: Settings) -> Iterator[None]:
    """The webhook delivery loop on a thread of this process, while the server runs. Every worker
    runs one; the lease in Neo4j lets only one of them deliver at a time."""
    if not settings.webhooks_in_serve:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=_deliver, args=(settings, stop), name="c360-webhooks", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(GRACEFUL_SHUTDOWN_SECONDS)


def _deliver(settings: Settings, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            graph = runtime.connect(settings, start=False)
        except Exception as exc:  # Neo4j not reachable yet: the API reports it too; try again
            log.warning("webhook delivery cannot reach Neo4j: %s", exc)
            stop.wait(5.0)
            continue
        try:
            Deliverer(graph, runtime.delivery_options(settings)).run(stop)
        finally:
            graph.close()
