"""`c360 check`: verify the identity invariants an operator relies on after crashes and restores."""

import json
from dataclasses import asdict

import typer

from c360.cli._app import connected, out
from c360.cli._identity import rules_for
from graph.identity.invariants import check

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)


def check_command(
    ctx: typer.Context,
    partition: bool = typer.Option(
        True,
        "--partition/--no-partition",
        help="Also rebuild the partition in memory and compare it with the live profiles (reads every record).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every violation as JSON."),
) -> None:
    """Check the identity graph: nothing pending, each record in one profile, no empty profiles,
    households consistent, live profiles equal to a full rebuild. Exits 1 when something is wrong."""
    rules = rules_for(ctx)
    with connected(ctx) as graph, out.status("checking ..."):
        found = check(graph, rules, partition=partition)
    if as_json:
        print(json.dumps({"ok": not found, "violations": asdict(found)}))
    else:
        out.print(found.summary(), highlight=False)
    if found and not as_json:
        # Pending records are normal while writers run; everything else means a run died or a
        # rule changed since the last rebuild, and the next resolution repairs it.
        out.print(
            "repair: `c360 resolve` finishes pending work and interrupted runs; "
            "`c360 resolve --full` rebuilds when the partition differs",
            highlight=False,
        )
    if found:
        raise typer.Exit(1)
