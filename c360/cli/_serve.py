"""`c360 serve`: the GraphQL API over HTTP; `c360 export-schema`: its SDL."""

import gc
import logging
import socket
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import typer
import uvicorn

from c360.cli._app import out, settings
from c360.settings import Settings
from c360.workers import serve_workers
from resolvers.app import create_app
from resolvers.config import ApiConfig
from resolvers.schema import sdl

__all__ = ["register", "run", "serve_on"]

GRACEFUL_SHUTDOWN_SECONDS = 10


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command("export-schema")(export_schema)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Interface to listen on [C360_API_HOST, 127.0.0.1]."),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port [C360_API_PORT, 8360]."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        help="Server processes [C360_API_WORKERS, 1]; one per core the API may use (Neo4j needs some too).",
    ),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request (the metrics count them anyway)."),
) -> None:
    """Serve the GraphQL API (/graphql), /events, /healthz, /readyz and /metrics."""
    config = settings(ctx)
    api = ApiConfig.from_settings(config)
    status = run(config, host or api.host, port or api.port, workers=workers or api.workers, access_log=access_log)
    if status:
        raise typer.Exit(status)


def run(config: Settings, host: str, port: int, *, workers: int = 1, access_log: bool = False) -> int:
    """Serve until SIGINT/SIGTERM; in-flight requests get a grace period, then the drivers close."""
    if workers > 1:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
        return serve_workers(config, host, port, workers, grace=GRACEFUL_SHUTDOWN_SECONDS, access_log=access_log)
    serve_on(config, host, port, access_log=access_log)
    return 0


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
    config: Settings,
    host: str,
    port: int,
    *,
    sockets: list[socket.socket] | None = None,
    access_log: bool = False,
    metrics_dir: Path | None = None,
    ready: EventType | None = None,
) -> None:
    """One server process on `host`:`port`, or on `sockets` already bound there (a worker)."""
    server = _Server(
        uvicorn.Config(
            create_app(config, metrics_dir=metrics_dir),
            host=host,
            port=port,
            access_log=access_log,
            lifespan="on",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            ws="none",
        ),
        ready,
    )
    # What exists now (modules, schema, app) lives as long as the process: no collection needs to
    # scan it again.
    gc.freeze()
    server.run(sockets=sockets)


def export_schema(
    path: Path = typer.Argument(Path("schema.graphql"), help="Where to write the SDL."),
) -> None:
    """Write the GraphQL schema (SDL) that front ends code against."""
    path.write_text(sdl(), encoding="utf-8")
    out.print(f"wrote {path}")
