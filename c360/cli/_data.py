"""`c360 generate`, `c360 load`, `c360 stats`, `c360 reset`: data in and out of the graph."""

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from c360.cli._app import connected, engine, err, fail, interactive, out, settings
from c360.cli._bulk import bulk_load, report_json
from c360.cli._identity import rules_for
from graph import schema, stats
from graph.identity import resolve
from graph.server import Neo4jServerError
from loaders.manifest import ManifestError, plan
from loaders.mapping import MappingError, builtin_names
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine, private_directory
from loaders.sample import NOISE_LEVELS
from loaders.sample import generate as generate_sample


def register(app: typer.Typer) -> None:
    app.command()(generate)
    app.command("load")(load_command)
    app.command("stats")(stats_command)
    app.command()(reset)


def generate(
    ctx: typer.Context,
    people: int = typer.Option(1000, "--people", "-n", min=1, help="How many people to simulate."),
    seed: int = typer.Option(42, "--seed", help="Same seed, same bytes."),
    out_dir: Path = typer.Option(Path("sample-data"), "--out", "-o", help="Directory to write."),
    noise: str = typer.Option(
        "default",
        "--noise",
        help="default, or high: up to ten records per person, typos, swapped names, missing values, "
        "impossible dates, wrong national-id digits, records with no shared identifier.",
    ),
) -> None:
    """Write realistic multi-source sample data with ground truth (truth.csv) and a manifest."""
    config = settings(ctx)
    if noise not in NOISE_LEVELS:
        fail(f"--noise must be one of {', '.join(NOISE_LEVELS)}")
    with Progress(
        TextColumn("generating"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} people"),
        TimeRemainingColumn(),
        console=err,
        disable=not interactive(),
    ) as bar:
        task = bar.add_task("people", total=people)
        summary = generate_sample(
            people,
            seed,
            out_dir,
            default_region=config.default_region,
            progress=lambda done: bar.update(task, completed=done),
            noise=noise,
        )
    out.print(
        f"wrote {summary.records} person records for {summary.people} people "
        f"in {summary.households} households to {out_dir}/"
    )
    for name, rows in summary.files.items():
        out.print(f"  {name:<24} {rows:>9} rows", highlight=False)


def load_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="CSV/JSONL files, or directories with a manifest.toml."),
    source: str | None = typer.Option(None, "--source", help="Source system name (overrides the mapping's)."),
    mapping: str | None = typer.Option(
        None,
        "--mapping",
        "-m",
        help="Built-in mapping name or a .toml file; default: the file's stem. "
        f"Built-in: {', '.join(builtin_names())}.",
    ),
    quarantine_path: Path | None = typer.Option(
        None, "--quarantine", help="JSONL file for rejected rows [default: $C360_HOME/quarantine/load-<time>.jsonl]."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any row was quarantined or field rejected."),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="Rows per transaction [C360_BATCH_SIZE]."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    resolve_after: bool | None = typer.Option(
        None, "--resolve/--no-resolve", help="Resolve incrementally after loading [C360_RESOLVE_ON_LOAD]."
    ),
    bulk: bool = typer.Option(
        False,
        "--bulk",
        help="First load into an EMPTY managed database through Neo4j's offline importer (stops and restarts "
        "the server), then schema and a full resolve. Refuses a non-empty database.",
    ),
) -> None:
    """Validate, normalize and load source files; bad rows go to the quarantine, good rows land."""
    config = settings(ctx)
    try:
        planned = plan(paths, mapping, source)
    except ManifestError as exc:
        fail(str(exc))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    write_path = engine(ctx)
    target = quarantine_path or private_directory(write_path.quarantine_dir) / f"load-{stamp}.jsonl"
    options = LoadOptions(
        batch_size=batch_size or config.batch_size,
        region=config.default_region,
        max_field_length=config.max_field_length,
        max_line_bytes=config.max_line_bytes,
        max_row_fields=config.max_row_fields,
        touchpoint_events=tuple(config.changes_touchpoint_types),
        workers=config.bulk_workers if bulk else 1,
    )
    if bulk:
        with Quarantine(target) as quarantine:
            try:
                summary, phases = bulk_load(
                    config,
                    planned,
                    quarantine,
                    options,
                    rules_for(ctx),
                    interactive=interactive(),
                    say=lambda text: None if as_json else out.print(text, highlight=False),
                )
            except (ValueError, Neo4jServerError) as exc:
                fail(str(exc))
        if as_json:
            print(report_json(summary, phases, target if summary.rows_quarantined else None))
        else:
            _report(summary, target if summary.rows_quarantined else None, False)
            out.print("phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items()), highlight=False)
        if strict and summary.rows_quarantined:
            fail(f"--strict: {summary.rows_quarantined} rows were quarantined", code=1)
        return
    with connected(ctx) as graph, Quarantine(target) as quarantine:
        schema.apply(graph)
        with Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not interactive(),
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(name: str, done: int, total: int) -> None:
                if name not in tasks:
                    tasks[name] = bar.add_task(name, total=total)
                bar.update(tasks[name], completed=done)

            suppress = write_path.suppression(graph)
            try:
                summary = load(graph, planned, quarantine, options, progress, suppress=suppress)
            except (MappingError, ValueError) as exc:
                fail(str(exc))
        if config.resolve_on_load if resolve_after is None else resolve_after:
            report = resolve(graph, rules_for(ctx))
            if not as_json:
                out.print(f"resolved: {report.records} records in scope, {report.written} profiles written")
    _report(summary, target if summary.rows_quarantined or summary.fields_rejected else None, as_json)
    if summary.rows_read and not summary.rows_loaded + summary.rows_suppressed:
        fail("nothing could be loaded; see the quarantine file", code=1)
    if strict and (summary.rows_quarantined or summary.fields_rejected):
        fail(
            f"--strict: {summary.rows_quarantined} rows were quarantined, {summary.fields_rejected} fields rejected",
            code=1,
        )


def _report(summary: LoadSummary, quarantine: Path | None, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary.as_dict() | {"quarantine": str(quarantine) if quarantine else None}))
        return
    out.print(
        f"read {summary.rows_read} rows from {len(summary.files)} files in {summary.seconds:.1f}s "
        f"({summary.rows_per_second:,.0f} rows/s): {summary.rows_loaded} loaded, "
        f"{summary.rows_quarantined} quarantined, {summary.fields_rejected} fields rejected",
        highlight=False,
    )
    written = ", ".join(f"{label} {n}" for label, n in sorted(summary.entities.items()))
    out.print(f"nodes written: {written or 'none (no changes)'}", highlight=False)
    if quarantine:
        out.print(f"quarantine: {quarantine}", highlight=False)


def stats_command(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Node counts per label and relationship counts per type."""
    with connected(ctx) as graph:
        result = stats.counts(graph)
    if as_json:
        print(json.dumps(result, sort_keys=True))
        return
    for title, counts in (("label", result["nodes"]), ("relationship", result["relationships"])):
        table = Table(title_justify="left")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in sorted(counts.items()):
            table.add_row(name, f"{count:,}")
        out.print(table)


def reset(ctx: typer.Context, yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Delete all data in the graph (the schema stays)."""
    if not yes and not typer.confirm("Delete every node and relationship in the graph?"):
        raise typer.Exit(1)
    with connected(ctx) as graph:
        stats.reset(graph)
    out.print("graph emptied")
