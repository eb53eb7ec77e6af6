"""`c360 neo4j ...` and `c360 schema ...`: the managed server and the graph schema."""

import json
import shlex

import typer

from c360.cli._app import connected, fail, out, settings
from c360.runtime import managed_server
from graph import schema
from graph.server import Neo4jServerError

neo4j_app = typer.Typer(help="Run the managed Neo4j server (used when NEO4J_URI is unset).", no_args_is_help=True)
schema_app = typer.Typer(help="Constraints, indexes and the full-text search index.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
    app.add_typer(schema_app, name="schema")


def _server(ctx: typer.Context):  # type: ignore[no-untyped-def]
    config = settings(ctx)
    if not config.managed:
        fail(f"NEO4J_URI is set ({config.neo4j_uri}): c360 uses that server and never starts or stops one")
    return managed_server(config)


@neo4j_app.command()
def install(
    ctx: typer.Context,
    check: bool = typer.Option(False, "--check", help="Only say whether the jars are there: exit 0 if so, 1 if not."),
) -> None:
    """Fetch the Neo4j Community jars from Maven Central (done by `start` when needed)."""
    server = _server(ctx)
    if check:
        out.print(f"Neo4j {server.version} jars " + ("installed" if server.installed else "not installed"))
        raise typer.Exit(0 if server.installed else 1)
    try:
        lib = server.install()
    except Neo4jServerError as exc:
        fail(str(exc))
    out.print(f"Neo4j runtime in {lib}")


@neo4j_app.command()
def start(ctx: typer.Context) -> None:
    """Start the managed server (or reuse it if it runs) and wait until Bolt answers."""
    server = _server(ctx)
    with out.status(f"starting Neo4j {server.version} on {server.uri} ..."):
        try:
            status = server.start()
        except Neo4jServerError as exc:
            fail(str(exc))
    out.print(f"Neo4j {status.version} running (pid {status.pid}) at {status.uri}; data in {status.home}")


@neo4j_app.command()
def stop(ctx: typer.Context) -> None:
    """Shut the managed server down cleanly."""
    try:
        stopped = _server(ctx).stop()
    except Neo4jServerError as exc:
        fail(str(exc))
    out.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command()
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Is the managed server running? Exit code 0 if so, 3 if not."""
    state = _server(ctx).status()
    if as_json:
        print(
            json.dumps(
                {
                    "running": state.running,
                    "pid": state.pid,
                    "uri": state.uri,
                    "version": state.version,
                    "home": str(state.home),
                }
            )
        )
    else:
        out.print(f"running (pid {state.pid}) at {state.uri}" if state.running else "not running")
    raise typer.Exit(0 if state.running else 3)


@neo4j_app.command()
def env(ctx: typer.Context) -> None:
    """Print `export NEO4J_URI=... NEO4J_USER=... NEO4J_PASSWORD=...` for `eval "$(c360 neo4j env)"`."""
    server = _server(ctx)
    try:
        password = server.password()
    except Neo4jServerError as exc:
        fail(str(exc))
    print(f"export NEO4J_URI={shlex.quote(server.uri)}")
    print(f"export NEO4J_USER={shlex.quote(server.user)}")
    print(f"export NEO4J_PASSWORD={shlex.quote(password)}")


@schema_app.command("apply")
def schema_apply(ctx: typer.Context) -> None:
    """Create missing constraints and indexes (idempotent) and wait until they are online."""
    with connected(ctx) as graph:
        applied = schema.apply(graph)
    out.print(f"schema applied: {len(applied)} statements")


@schema_app.command("show")
def schema_show(ctx: typer.Context) -> None:
    """List constraints and indexes."""
    with connected(ctx) as graph:
        for row in schema.describe(graph):
            on = ",".join(row["labelsOrTypes"] or []) + "(" + ",".join(row["properties"] or []) + ")"
            kind = "constraint" if row["constraint"] else row["type"].lower()
            out.print(f"{row['name']:<28} {kind:<12} {on:<50} {row['state']}", highlight=False)
