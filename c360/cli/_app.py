"""The Typer app, its settings callback, and how commands report failure."""

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

import typer
from neo4j.exceptions import AuthError, ServiceUnavailable
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from c360 import __version__, runtime
from c360.settings import Settings
from graph.connection import Graph
from graph.identity import MatchRules, RulesError
from graph.server import Neo4jServerError
from loaders.engine import Engine


class _Commands(TyperGroup):
    """A file named on the command line that cannot be opened or written (`--out` into a missing
    directory, `--truth` that is not there) is one clear line, not a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.filename is None:  # not about a file: a real failure, shown as one
                raise
            fail(f"{exc.filename}: {exc.strerror or exc}", code=1)


app = typer.Typer(
    cls=_Commands,
    help="c360: customer-360 identity and relationship store on Neo4j.\n\n"
    "Configuration comes from C360_* and NEO4J_* environment variables (see README).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        print(f"c360 {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        fail(f"invalid configuration:\n{exc}")


def settings(ctx: typer.Context) -> Settings:
    assert isinstance(ctx.obj, Settings)
    return ctx.obj


def engine(ctx: typer.Context, rules: MatchRules | None = None) -> Engine:
    """The command's engine (one per process), with `rules` instead of the configured ones if given."""
    try:
        return runtime.engine(settings(ctx), rules)
    except RulesError as exc:
        fail(str(exc))


def fail(message: str, code: int = 2) -> NoReturn:
    # Messages carry paths, values and TOML ("[[files]]"): as markup they lost text or raised.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def connected(ctx: typer.Context, *, start: bool = True) -> Iterator[Graph]:
    """A graph connection for one command; known failures become one clear line, not a traceback."""
    try:
        graph = runtime.connect(settings(ctx), start=start)
    except Neo4jServerError as exc:
        fail(str(exc))
    except AuthError as exc:
        fail(f"Neo4j rejected the credentials: {exc.message} (check NEO4J_USER / NEO4J_PASSWORD)")
    except (ServiceUnavailable, OSError) as exc:
        fail(f"cannot reach Neo4j: {exc}")
    try:
        yield graph
    finally:
        graph.close()


def interactive() -> bool:
    return sys.stderr.isatty()
