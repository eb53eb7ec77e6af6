"""Bulk import for an empty database: the same mappings, validation, normalization and quarantine
as `c360 load`, folded in memory into the graph a load would leave, then written with Neo4j's own
offline importer (`neo4j-admin database import full`).

The caller (the CLI) owns the server: it checks the database is empty, stops the managed server,
calls `ManagedNeo4j.import_full` with the files from `prepare`, starts it again, applies the
schema and resolves.
"""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from graph.identity.rules import MatchRules
from loaders.bulk._csv import ImportFiles, write
from loaders.bulk._fold import Fold
from loaders.manifest import PlannedFile
from loaders.pipeline import LoadOptions, LoadSummary, ProgressFn, load
from loaders.quarantine import Quarantine
from loaders.rows import MappedRow
from loaders.suppression import Suppression

__all__ = ["Fold", "ImportFiles", "prepare"]


class _FileSink:
    """One file's rows, kept until the file ends, then folded as one batch."""

    def __init__(self, fold: Fold) -> None:
        self._fold = fold
        self._rows: list[MappedRow] = []
        self.rows = 0
        self.entities: Counter[str] = Counter()
        self.relationships: Counter[str] = Counter()

    def add(self, row: MappedRow) -> None:
        self._rows.append(row)
        self.rows += 1

    def submit(self) -> None:
        pass  # a file is folded whole, as one batch: see close()

    def close(self) -> None:
        self._fold.add_file(self._rows)
        self._rows = []


def prepare(
    files: list[PlannedFile],
    quarantine: Quarantine,
    options: LoadOptions,
    directory: Path,
    progress: ProgressFn | None = None,
    suppress: Suppression | None = None,
    now: datetime | None = None,
    rules: MatchRules | None = None,
) -> tuple[LoadSummary, ImportFiles]:
    """Read, map and validate every file (bad rows to the quarantine), fold, and write the
    importer's CSV files into `directory`. `now` is the load's clock (ingested_at, loaded_at);
    `options.workers` processes map the rows. With `rules`, the records' derived keys are
    imported too, as the resolution that follows would write them."""
    fold = Fold(now or datetime.now(UTC))
    summary = load(None, files, quarantine, options, progress, suppress, sink=lambda: _FileSink(fold))
    if rules is not None:
        fold.derive(rules)
    imported = write(fold, directory)
    for label, nodes in fold.nodes.items():
        summary.entities[label] = len(nodes)
    summary.entities["Identifier"] = len(fold.identifiers)
    for name, edges in fold.relationships.items():
        summary.relationships[name] = len(edges)
    customers = fold.nodes.get("Customer", {}).values()
    summary.relationships["HAS_IDENTIFIER"] = sum(len(n.identifiers) + len(n.derived) for n in customers)
    return summary, imported
