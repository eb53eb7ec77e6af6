"""`c360 serve`: the GraphQL API over HTTP; `c360 export-schema`: its SDL."""

from pathlib import Path

import typer
import uvicorn

from c360.cli._app import out, settings
from c360.settings import Settings
from resolvers.app import create_app
from resolvers.config import ApiConfig
from resolvers.schema import sdl

__all__ = ["register", "run"]

GRACEFUL_SHUTDOWN_SECONDS = 10


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command("export-schema")(export_schema)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Interface to listen on [C360_API_HOST, 127.0.0.1]."),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port [C360_API_PORT, 8360]."),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request (the metrics count them anyway)."),
) -> None:
    """Serve the GraphQL API (/graphql), /events, /healthz, /readyz and /metrics."""
    config = settings(ctx)
    api = ApiConfig.from_settings(config)
    run(config, host or api.host, port or api.port, access_log=access_log)


def run(config: Settings, host: str, port: int, *, access_log: bool = False) -> None:
    """Serve until SIGINT/SIGTERM; in-flight requests get a grace period, then the driver closes."""
    uvicorn.run(create_app(config), host=host, port=port, access_log=access_log, lifespan="on",
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS, ws="none")


def export_schema(
    path: Path = typer.Argument(Path("schema.graphql"), help="Where to write the SDL."),
) -> None:
    """Write the GraphQL schema (SDL) that front ends code against."""
    path.write_text(sdl(), encoding="utf-8")
    out.print(f"wrote {path}")
