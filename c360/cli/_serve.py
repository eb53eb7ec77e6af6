"""`c360 serve`: the GraphQL API over HTTP; `c360 export-schema`: its SDL."""

from pathlib import Path

import typer

from c360 import logs
from c360.cli._app import out, settings
from c360.server import GRACEFUL_SHUTDOWN_SECONDS, serve_on
from c360.settings import Settings
from c360.workers import serve_workers
from resolvers.schema import sdl

__all__ = ["register", "run"]


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
    access_log: bool = typer.Option(
        False, "--access-log", help="One log line per request: id, route, status, time [C360_API_ACCESS_LOG]."
    ),
) -> None:
    """Serve the GraphQL API (/graphql), /events, /healthz, /readyz and /metrics."""
    config = settings(ctx)
    if access_log:
        config = config.model_copy(update={"api_access_log": True})
    status = run(
        config,
        host or config.api_host,
        port or config.api_port,
        workers=workers or config.api_workers,
    )
    if status:
        raise typer.Exit(status)


def run(config: Settings, host: str, port: int, *, workers: int = 1) -> int:
    """Serve until SIGINT/SIGTERM; in-flight requests get a grace period, then the drivers close."""
    if workers > 1:
        logs.configure(config.log_level, config.log_format)
        return serve_workers(config, host, port, workers, grace=GRACEFUL_SHUTDOWN_SECONDS)
    serve_on(config, host, port)
    return 0


def export_schema(
    path: Path = typer.Argument(Path("schema.graphql"), help="Where to write the SDL."),
) -> None:
    """Write the GraphQL schema (SDL) that front ends code against."""
    path.write_text(sdl(), encoding="utf-8")
    out.print(f"wrote {path}")
