"""`c360 load --bulk`: a first load (or a rebuild) through Neo4j's offline importer."""

import json
import time
from collections.abc import Callable
from pathlib import Path

from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from c360 import runtime
from c360.settings import Settings
from graph import schema, stats
from graph.identity import MatchRules, resolve
from loaders.bulk import prepare
from loaders.manifest import PlannedFile
from loaders.mapping import MappingError
from loaders.pipeline import LoadOptions, LoadSummary
from loaders.quarantine import Quarantine

__all__ = ["bulk_load"]


def bulk_load(
    config: Settings,
    planned: list[PlannedFile],
    quarantine: Quarantine,
    options: LoadOptions,
    rules: MatchRules,
    *,
    interactive: bool,
    say: Callable[[str], None],
) -> tuple[LoadSummary, dict[str, float]]:
    """Map, fold and import into an empty managed database, then schema and a full resolve.
    Raises ValueError for a refusal the user must fix (not managed, not empty)."""
    if not config.managed:
        raise ValueError(
            "--bulk writes the database files with neo4j-admin, so it needs the managed Neo4j; "
            "unset NEO4J_URI or load without --bulk"
        )
    phases: dict[str, float] = {}
    started = time.perf_counter()
    graph = runtime.connect(config)
    try:
        counts = stats.counts(graph)
    finally:
        graph.close()
    if any(counts["nodes"].values()):
        total = sum(counts["nodes"].values())
        raise ValueError(f"--bulk is for an empty database; this one has {total:,} nodes (load without --bulk)")
    phases["check"] = time.perf_counter() - started
    directory = config.home / "bulk" / time.strftime("%Y%m%dT%H%M%S")
    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        disable=not interactive,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)

        mark = time.perf_counter()
        try:
            summary, files = prepare(planned, quarantine, options, directory, progress)
        except MappingError as exc:
            raise ValueError(str(exc)) from None
    phases["map + fold + csv"] = time.perf_counter() - mark
    say(f"mapped {summary.rows_read:,} rows: {files.node_count:,} nodes, {files.relationship_count:,} relationships")
    server = runtime.managed_server(config)
    mark = time.perf_counter()
    server.stop()
    say("importing with neo4j-admin database import full ...")
    try:
        server.import_full(files.nodes, files.relationships, database=config.neo4j_database)
    finally:
        server.start()
    phases["import"] = time.perf_counter() - mark
    mark = time.perf_counter()
    graph = runtime.connect(config)
    try:
        schema.apply(graph)
        phases["schema"] = time.perf_counter() - mark
        mark = time.perf_counter()
        say("resolving ...")
        report = resolve(graph, rules, full=True)
        phases["resolve"] = time.perf_counter() - mark
    finally:
        graph.close()
    say(f"resolved: {report.clusters:,} profiles from {report.records:,} records")
    summary.seconds = time.perf_counter() - started
    return summary, {k: round(v, 2) for k, v in phases.items()}


def report_json(summary: LoadSummary, phases: dict[str, float], quarantine: Path | None) -> str:
    return json.dumps(summary.as_dict() | {"phases": phases, "quarantine": str(quarantine) if quarantine else None})
