"""`c360 traits ...`: computed traits per profile."""

import json

import typer

from c360 import runtime
from c360.cli._app import connected, fail, out, settings
from graph import traits

traits_app = typer.Typer(help="Computed traits per profile (RFM, lifecycle, CLV, engagement, sentiment).")


def register(app: typer.Typer) -> None:
    app.add_typer(traits_app, name="traits")


@traits_app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    all_profiles: bool = typer.Option(
        False, "--all", help="Every profile, and fit the RFM quintiles and CLV model again over the whole base."
    ),
    pids: list[str] = typer.Argument(None, help="Profile ids to refresh (default: those with pending touchpoints)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Recompute traits: pending profiles (default), the given ones, or all of them (--all)."""
    if all_profiles and pids:
        fail("give profile ids or --all, not both")
    try:
        config = runtime.trait_config(settings(ctx))
    except ValueError as exc:
        fail(f"invalid trait thresholds: {exc}")
    with connected(ctx) as graph, out.status("computing traits ..."):
        if all_profiles:
            report = traits.refresh_all(graph, config)
        elif pids:
            report = traits.refresh(graph, pids)
        else:
            report = traits.after_resolution(graph, [])
    if as_json:
        print(json.dumps(report.__dict__))
        return
    line = f"traits refreshed for {report.profiles:,} profiles in {report.seconds:.1f} s"
    if report.scored_texts:
        line += f" ({report.scored_texts:,} texts scored for sentiment)"
    out.print(line, highlight=False)
    if report.customers is not None:
        fitted = "fitted" if report.clv_fitted else "not fitted"
        out.print(f"model over {report.customers:,} customers; CLV model {fitted}", highlight=False)
    if report.clv_note:
        out.print(f"  note: {report.clv_note}", highlight=False)
