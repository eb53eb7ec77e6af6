"""`c360 load --bulk`: a first load (or a rebuild) through Neo4j's offline importer."""

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from c360 import runtime
from c360.settings import Settings
from graph import schema, stats
from graph.identity import MatchRules, resolve
from graph.traits.bulk import refresh_imported
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
    """Map, fold and import into an empty managed database, then schema, a full resolve and traits.
    Raises ValueError for a refusal the user must fix (not managed, not empty)."""
    if not config.managed:
        raise ValueError(
            "--bulk writes the database files with neo4j-admin, so it needs the managed Neo4j; "
            "unset NEO4J_URI or load without --bulk"
        )
    phases: dict[str, float] = {}
    started = time.perf_counter()
    previous = _interrupted(config)
    if previous is not None and previous.get("phase") == "importing":
        # Killed during the import: the server is stopped and the database partly written (or
        # not yet replaced); this run's import replaces it whatever it holds, so it is not read.
        say(f"the bulk load started {previous.get('started')} was interrupted during its import: starting over")
    else:
        graph = runtime.connect(config)
        try:
            counts = stats.counts(graph)
        finally:
            graph.close()
        if any(counts["nodes"].values()):
            if previous is None or not _only_that_import(counts["nodes"], previous):
                total = sum(counts["nodes"].values())
                raise ValueError(f"--bulk is for an empty database; this one has {total:,} nodes (load without --bulk)")
            say(f"the bulk load started {previous.get('started')} was interrupted after its import: starting over")
    if previous is not None:
        # Its import files are replaced by this run's; within the bulk directory only.
        left = Path(previous.get("files", ""))
        if left.parent == config.home / "bulk":
            shutil.rmtree(left, ignore_errors=True)
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
            summary, files = prepare(planned, quarantine, options, directory, progress, rules=rules)
        except MappingError as exc:
            raise ValueError(str(exc)) from None
    phases["map + fold + csv"] = time.perf_counter() - mark
    say(f"mapped {summary.rows_read:,} rows: {files.node_count:,} nodes, {files.relationship_count:,} relationships")
    server = runtime.managed_server(config)
    mark = time.perf_counter()
    server.stop()
    state = {"phase": "importing", "started": time.strftime("%Y-%m-%d %H:%M:%S"), "files": str(directory)}
    _note(config, state)
    say("importing with neo4j-admin database import full ...")
    try:
        server.import_full(files.nodes, files.relationships, database=config.neo4j_database)
    finally:
        server.start()
    phases["import"] = time.perf_counter() - mark
    mark = time.perf_counter()
    graph = runtime.connect(config)
    try:
        imported = stats.counts(graph)["nodes"]
        # From here the database holds this import and what its schema, resolve and traits add: a run
        # killed meanwhile is recognized by these counts, and the next one may start over.
        counted = {k: imported.get(k, 0) for k in _KEPT}
        _note(config, state | {"phase": "imported"} | counted)
        schema.apply(graph)
        phases["schema"] = time.perf_counter() - mark
        mark = time.perf_counter()
        say("resolving ...")
        report = resolve(graph, rules, full=True, traits=False)
        phases["resolve"] = time.perf_counter() - mark
        say(f"resolved: {report.clusters:,} profiles from {report.records:,} records")
        mark = time.perf_counter()
        # Every profile is new and due: refreshed in big chunks, not as a micro-batch's backlog.
        refreshed = refresh_imported(graph)
        phases["traits"] = time.perf_counter() - mark
    finally:
        graph.close()
    _marker(config).unlink(missing_ok=True)  # after the traits: a run killed in them starts over too
    say(f"traits: {refreshed.profiles:,} profiles, {refreshed.scored_texts:,} texts scored")
    summary.seconds = time.perf_counter() - started
    return summary, {k: round(v, 2) for k, v in phases.items()}


_KEPT = ("Customer", "Touchpoint")
"""Labels only loads write (resolution adds profiles and derived identifiers, never these)."""


def _marker(config: Settings) -> Path:
    """Present while a bulk load is between its import and its end: if the process dies there
    (kill -9, a crash, the machine going down), the next `--bulk` knows the database holds
    nothing but that load's import and may replace it."""
    return config.home / "bulk" / "in-progress.json"


def _interrupted(config: Settings) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = json.loads(_marker(config).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return found


def _note(config: Settings, state: dict[str, Any]) -> None:
    path = _marker(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(state))
    partial.replace(path)  # atomic: a reader sees the old state or the new, never half


def _only_that_import(nodes: dict[str, int], previous: dict[str, Any]) -> bool:
    """Whether the database still holds only the interrupted load's import: its records and
    touchpoints, counted right after it, and nothing loaded since."""
    return previous.get("phase") == "imported" and all(nodes.get(k, 0) == previous.get(k) for k in _KEPT)


def report_json(summary: LoadSummary, phases: dict[str, float], quarantine: Path | None) -> str:
    return json.dumps(summary.as_dict() | {"phases": phases, "quarantine": str(quarantine) if quarantine else None})
