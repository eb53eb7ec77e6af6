"""`c360 up`: the main job, from nothing to a populated graph."""

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from typer.models import ArgumentInfo, OptionInfo

from c360.cli._analytics import refresh_command
from c360.cli._app import connected, out, settings
from c360.cli._data import load_command
from c360.cli._identity import resolve_command
from c360.cli._serve import run
from graph import schema, stats
from loaders.sample import generate as generate_sample


def register(app: typer.Typer) -> None:
    app.command()(up)


def arguments(command: Callable[..., Any], **given: Any) -> dict[str, Any]:
    """Every parameter of a CLI command called as a function: `given`, else its option's default.

    Why: a Typer command called directly gets its OptionInfo objects as values for whatever the
    caller leaves out, so an option added to a command later (as `resolve --engine` was) would
    silently break `up`. Filling every default from the signature keeps `up` working."""
    values = {
        name: param.default.default
        for name, param in inspect.signature(command).parameters.items()
        if isinstance(param.default, OptionInfo | ArgumentInfo)
    }
    return values | given


def up(
    ctx: typer.Context,
    people: int = typer.Option(2000, "--people", "-n", min=1, help="Sample size when the graph is empty."),
    seed: int = typer.Option(42, "--seed"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="End by serving the GraphQL API."),
) -> None:
    """The main job: start Neo4j, apply the schema, load sample data into an empty graph, resolve, serve."""
    config = settings(ctx)
    with connected(ctx) as graph:
        schema.apply(graph)
        empty = stats.is_empty(graph)
    if empty:
        sample = config.home / "sample-data"
        out.print(f"graph is empty: generating {people} people into {sample}/ and loading them")
        generate_sample(people, seed, sample, default_region=config.default_region)
        ctx.invoke(load_command, **arguments(load_command, ctx=ctx, paths=[Path(sample)], resolve_after=False))
    else:
        out.print("graph already has data: skipping the sample load")
    ctx.invoke(resolve_command, **arguments(resolve_command, ctx=ctx, full=False, train=True))
    ctx.invoke(refresh_command, **arguments(refresh_command, ctx=ctx, all_profiles=True, pids=[]))
    with connected(ctx) as graph:
        counts = stats.counts(graph)
    out.print("in the graph: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts["nodes"].items())))
    if serve:
        out.print(
            f"serving GraphQL on http://{config.api_host}:{config.api_port}/graphql "
            "(create a key: c360 apikey create --role steward); Ctrl-C stops"
        )
        status = run(config, config.api_host, config.api_port, workers=config.api_workers)
        if status:
            raise typer.Exit(status)
