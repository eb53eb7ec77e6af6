"""`c360 resolve`, `explain`, `steward ...`, `export`, `evaluate`: identity resolution."""

import csv
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from c360 import runtime
from c360.cli._app import connected, err, fail, out, settings
from graph.connection import Graph
from graph.identity import RulesError, explain, export, load_rules, resolve, steward
from graph.identity.evaluate import errors, score
from graph.identity.evidence import gather
from graph.identity.resolve import ResolveReport
from graph.identity.rules import MatchRules
from graph.identity.scoring import waterfall
from graph.identity.scoring.score import score_all
from graph.identity.scoring.train import train_if_needed

steward_app = typer.Typer(help="Steward decisions that hold through every load and rebuild.", no_args_is_help=True)
export_app = typer.Typer(help="Export data.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_command)
    app.command("explain")(explain_command)
    app.command("evaluate")(evaluate)
    app.add_typer(steward_app, name="steward")
    app.add_typer(export_app, name="export")


def rules_for(ctx: typer.Context, path: Path | None = None) -> MatchRules:
    try:
        return load_rules(path) if path else runtime.rules(settings(ctx))
    except RulesError as exc:
        fail(str(exc))


def resolve_command(
    ctx: typer.Context,
    full: bool = typer.Option(False, "--full", help="Rebuild every profile instead of only what changed."),
    rules_path: Path | None = typer.Option(None, "--rules", help="Match rules TOML [C360_RULES]."),
    no_caps: bool = typer.Option(False, "--no-caps", help="Ignore identifier caps (to measure what they are worth)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    train: bool = typer.Option(
        True, "--train/--no-train", help="Train a scoring model first when none fits and enough records exist."
    ),
    engine: str = typer.Option(
        "local",
        "--engine",
        help="Where a --full rebuild computes its partition: 'local' (this process) or 'spark' "
        "(Apache Spark on C360_SPARK_MASTER; needs pyspark, the 'spark' extra).",
    ),
) -> None:
    """Link records into profiles: incremental by default (records loaded or changed since last run)."""
    if engine not in ("local", "spark"):
        fail(f"unknown engine {engine!r}: local or spark")
    if engine == "spark" and not full:
        fail("--engine spark runs full rebuilds only: add --full")
    rules = rules_for(ctx, rules_path)
    if no_caps:
        rules = rules.model_copy(update={"enforce_caps": False})
    with connected(ctx) as graph:
        trained = _auto_train(graph, rules) if train else None
        if engine != "spark":
            with out.status("resolving ..."):
                # A new model re-scored every pair: every profile may change.
                report = resolve(graph, rules, full=full or trained is not None)
    if engine == "spark":
        report = _resolve_on_spark(ctx, rules)
    if as_json:
        print(json.dumps(report.as_dict() | {"trained": trained}))
        return
    out.print(
        f"{report.mode}: {report.records} records in scope -> {report.clusters} profiles "
        f"({report.written} written, {report.created} new, {report.merges} merges, {report.splits} splits, "
        f"{report.conflicts} conflicts, {report.households} households)",
        highlight=False,
    )
    for key, records in report.held_out[:10]:
        out.print(f"  held out (over cap): {key} on {records} records", highlight=False)
    out.print("  timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()), highlight=False)


def _auto_train(graph: Graph, rules: MatchRules) -> dict[str, Any] | None:
    """The default path to a model: train when none fits the rules and there are enough records
    (`[scoring] auto_train_records`), then score every candidate pair."""
    if rules.scoring_on is None:
        return None
    with out.status("training the scoring model ..."):
        report = train_if_needed(graph, rules.scoring_on)
    if report is None:
        return None
    with out.status("scoring every candidate pair ..."):
        scored = score_all(graph, rules.scoring_on)
    err.print(
        f"trained scoring model {report.version} on {report.records} records in {report.seconds:.1f}s; "
        f"{scored.links} scored links, {scored.reviews} for review",
        highlight=False,
    )
    return {"version": report.version, "records": report.records, "seconds": report.seconds} | {
        "links": scored.links,
        "reviews": scored.reviews,
    }


def _resolve_on_spark(ctx: typer.Context, rules: MatchRules) -> ResolveReport:
    from graph.identity.spark import SparkUnavailable, resolve_full_spark
    from graph.identity.spark.session import session

    config = settings(ctx)
    workdir = config.home / "spark"
    try:
        with out.status(f"starting Spark ({config.spark_master}) ..."):
            spark = session(config.spark_master, workdir, shuffle_partitions=config.spark_shuffle_partitions)
    except SparkUnavailable as exc:
        fail(str(exc))
    try:
        with connected(ctx) as graph, out.status("resolving on Spark ..."):
            return resolve_full_spark(graph, rules, spark, workdir)
    finally:
        spark.stop()


def explain_command(
    ctx: typer.Context,
    record_a: str | None = typer.Argument(None, help="Record id, e.g. crm:C-0000001."),
    record_b: str | None = typer.Argument(None, help="Another record of the same profile."),
    profile: str | None = typer.Option(None, "--profile", help="Explain every record of this profile."),
) -> None:
    """Why two records share a profile (or why each record is in a profile)."""
    rules = rules_for(ctx)
    with connected(ctx) as graph:
        if profile:
            pid = steward.profile_id(graph, profile) or fail(f"no such profile: {profile}")
            print(json.dumps({"profile": pid, "records": explain.profile(graph, pid, rules=rules)}, indent=2))
        elif record_a and record_b:
            path = explain.link(graph, record_a, record_b, rules=rules)
            if not path:
                # Not linked, but maybe scored: a possible match shows its waterfall too.
                scored = waterfall.pair(graph, record_a, record_b)
                if scored is not None:
                    print(json.dumps({"linked": False, "score": scored}, indent=2))
                fail(f"{record_a} and {record_b} are not in one profile", code=1)
            print(json.dumps(path, indent=2))
        else:
            fail("give two record ids, or --profile ID")


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _pairwise(
    ctx: typer.Context, decide: Callable[..., list[str]], record_a: str, record_b: str, reason: str | None
) -> list[str]:
    with connected(ctx) as graph:
        try:
            return decide(graph, record_a, record_b, by=_by(), reason=reason, rules=rules_for(ctx))
        except steward.StewardError as exc:
            fail(str(exc))


@steward_app.command()
def link(
    ctx: typer.Context,
    record_a: str,
    record_b: str,
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
) -> None:
    """Same person: force two records into one profile."""
    pids = _pairwise(ctx, steward.link, record_a, record_b, reason)
    out.print(f"linked: now profile {', '.join(pids)}")


@steward_app.command()
def unlink(
    ctx: typer.Context,
    record_a: str,
    record_b: str,
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
) -> None:
    """Not the same person: these two records never share a profile."""
    pids = _pairwise(ctx, steward.unlink, record_a, record_b, reason)
    out.print(f"unlinked: profiles {', '.join(pids)}")


@steward_app.command()
def split(
    ctx: typer.Context, profile: str, reason: str = typer.Option(None, "--reason", help="Why (kept in the history).")
) -> None:
    """Split a profile so that each record stands alone (unless steward-linked)."""
    with connected(ctx) as graph:
        try:
            pids = steward.split(graph, profile, by=_by(), reason=reason, rules=rules_for(ctx))
        except steward.StewardError as exc:
            fail(str(exc))
    out.print(f"split into {len(pids)} profiles: {', '.join(pids)}")


@steward_app.command("set-golden")
def set_golden(
    ctx: typer.Context,
    profile: str,
    field: str,
    value: str | None = typer.Argument(None, help="New value; omit to withdraw the override."),
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
) -> None:
    """Override a golden value of a profile (wins over survivorship until withdrawn)."""
    with connected(ctx) as graph:
        try:
            steward.set_golden(graph, profile, field, value, by=_by(), reason=reason, rules=rules_for(ctx))
        except steward.StewardError as exc:
            fail(str(exc))
    out.print(f"{field} {'withdrawn' if value is None else 'set'} on {profile}")


@steward_app.command("held-out")
def held_out(ctx: typer.Context, limit: int = typer.Option(50, "--limit")) -> None:
    """Identifiers held out of merging because too many records share them."""
    with connected(ctx) as graph:
        for row in graph.read("list_held_out", limit=limit):
            out.print(f"{row['records']:>7}  {row['key']}", highlight=False)


@steward_app.command()
def conflicts(ctx: typer.Context, limit: int = typer.Option(50, "--limit")) -> None:
    """Profiles whose records disagree on person-unique attributes (see `explain --profile`)."""
    with connected(ctx) as graph:
        for row in graph.read("list_conflicts", limit=limit):
            out.print(
                f"{row['pid']}  {row['display_name']}  {', '.join(row['conflicts'])}  ({row['records']} records)",
                highlight=False,
            )


@export_app.command("profiles")
def export_profiles(
    ctx: typer.Context, out_path: Path = typer.Option(..., "--out", "-o", help="JSONL file ('-' for stdout).")
) -> None:
    """One JSON line per profile: profile_id, records (source, source_id), household_id."""
    handle = sys.stdout if str(out_path) == "-" else out_path.open("w", encoding="utf-8")
    count = 0
    with connected(ctx) as graph:
        for row in export.profiles(graph):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    if handle is not sys.stdout:
        handle.close()
        out.print(f"wrote {count} profiles to {out_path}")


def evaluate(
    ctx: typer.Context,
    truth: Path = typer.Option(..., "--truth", help="truth.csv: source, source_id, person_id, household_id"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Pairwise precision, recall and F1 of the profiles (and households) against ground truth,
    with missed pairs by what they lacked and false merges by the link that made them."""
    with truth.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"source", "source_id", "person_id", "household_id"} - set(reader.fieldnames or ())
        if missing:
            fail(
                f"{truth}: no column {', '.join(sorted(missing))} (expected source, source_id, person_id, household_id)"
            )
        rows = list(reader)
    people = {f"{r['source']}:{r['source_id']}": r["person_id"] for r in rows}
    homes = {f"{r['source']}:{r['source_id']}": r["household_id"] for r in rows}
    profiles, households = {}, {}
    rules = rules_for(ctx)
    with connected(ctx) as graph:
        for row in export.profiles(graph):
            for record in row["records"]:
                uid = f"{record['source']}:{record['source_id']}"
                profiles[uid] = row["profile_id"]
                households[uid] = row["household_id"] or f"alone:{row['profile_id']}"
        facts = gather(graph, rules, None)
    scores = {"profiles": score(profiles, people), "households": score(households, homes)}
    breakdown = errors(facts, rules, profiles, people)
    if as_json:
        print(json.dumps({name: s.as_dict() for name, s in scores.items()} | {"errors": breakdown}))
        return
    for name, s in scores.items():
        out.print(
            f"{name:<10} precision {s.precision:.4f}  recall {s.recall:.4f}  f1 {s.f1:.4f}  "
            f"({s.records} records, {s.profiles} predicted vs {s.persons} true clusters)",
            highlight=False,
        )
    for title, counts in (("missed pairs", breakdown["missed"]), ("false merges", breakdown["false_merges"])):
        out.print(f"{title}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none"), highlight=False)
