"""Load source files into the graph: read, map and validate, quarantine the bad, batch-write the good."""

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from graph.connection import Graph
from loaders.manifest import PlannedFile
from loaders.mapper_pool import Mapped, MapperPool, MapperSpec, map_row
from loaders.mapping import Mapping, load_mapping
from loaders.quarantine import Quarantine
from loaders.readers import RawRow, ReadLimits, detect_format, read_rows
from loaders.rows import MappedRow
from loaders.suppression import Suppression
from loaders.writer import BatchWriter

__all__ = ["LoadOptions", "LoadSummary", "ProgressFn", "Sink", "load", "report_issues"]

# (file name, bytes read so far, file size)
ProgressFn = Callable[[str, int, int], None]


class Sink(Protocol):
    """Where one file's good rows go: BatchWriter (the graph) or the bulk importer's fold."""

    rows: int
    entities: Counter[str]
    relationships: Counter[str]

    def add(self, row: MappedRow) -> None: ...

    def submit(self) -> None:
        """Start on what was added so far (a writer sends it; a fold may wait for the file's end)."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class LoadOptions:
    batch_size: int = 2000
    region: str = "GB"
    max_field_length: int = 4096
    max_line_bytes: int = 1 << 20
    max_row_fields: int = 500
    touchpoint_events: tuple[str, ...] = ()
    """Touchpoint types whose new links are change events (`C360_CHANGES_TOUCHPOINT_TYPES`)."""
    workers: int = 1
    """Processes mapping rows (`C360_BULK_WORKERS` for a bulk load); 1 maps in this process."""


@dataclass
class LoadSummary:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_suppressed: int = 0
    fields_rejected: int = 0
    """Values left out of records that still landed (each in the quarantine, kind "field")."""
    entities: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_suppressed": self.rows_suppressed,
            "fields_rejected": self.fields_rejected,
            "entities_written": dict(self.entities),
            "relationships_merged": dict(self.relationships),
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def _report(progress: ProgressFn, name: str, size: int, done: int) -> None:
    progress(name, done, size)


def report_issues(
    quarantine: Quarantine, mapped: MappedRow, *, file: str, line: int, mapping: Mapping, raw: Any
) -> int:
    """One quarantine entry (kind "field") per value left out of a record that landed."""
    for issue in mapped.issues:
        quarantine.put(
            file=file,
            line=line,
            source=mapping.source,
            mapping=mapping.name,
            raw=raw,
            reasons=[f"{issue.entity}.{issue.field}: {issue.reason}"],
            kind="field",
            field=issue.field,
            value=issue.value,
        )
    return len(mapped.issues)


# A mapped row with where it came from (line, raw row), for its field issues.
_Pending = tuple[MappedRow, int, Any]


def load(
    graph: Graph | None,
    files: list[PlannedFile],
    quarantine: Quarantine,
    options: LoadOptions,
    progress: ProgressFn | None = None,
    suppress: Suppression | None = None,
    sink: Callable[[], Sink] | None = None,
) -> LoadSummary:
    """Load every planned file in order. Mappings are all checked before the first row is read.

    With `suppress`, an erased person's rows are skipped (`rows_suppressed`), also the ones that
    would go to the quarantine; its entries are re-read before each batch is handed to the
    writer, so an erasure during the load holds for every batch checked after it.
    """
    mappings = {(f.mapping, f.source): load_mapping(f.mapping, source=f.source) for f in files}
    summary = LoadSummary()
    started = time.perf_counter()
    if sink is None:
        if graph is None:
            raise ValueError("load() needs a graph or a sink")
        # One writer for every file: a file's last batch is written while the next file is read
        # and mapped (a writer per file waited for it at each file's end, and most files are one
        # or two batches). Batches still hold one file's rows only and are written in order.
        shared = BatchWriter(graph, options.batch_size, touchpoint_events=options.touchpoint_events)
        try:
            _load_files(files, mappings, quarantine, options, summary, progress, suppress, lambda: shared)
        finally:
            shared.close()
        _count(summary, shared)
    else:
        _load_files(files, mappings, quarantine, options, summary, progress, suppress, sink, own=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: LoadSummary, writer: Sink) -> None:
    summary.rows_loaded += writer.rows
    summary.entities.update(writer.entities)
    summary.relationships.update(writer.relationships)


def _load_files(
    files: list[PlannedFile],
    mappings: dict[tuple[str | Path, str | None], Mapping],
    quarantine: Quarantine,
    options: LoadOptions,
    summary: LoadSummary,
    progress: ProgressFn | None,
    suppress: Suppression | None,
    sink: Callable[[], Sink],
    *,
    own: bool = False,
) -> None:
    """Read, map and hand over each file's rows; `own`: each file has a sink of its own, closed
    and counted at the file's end."""
    pool = MapperPool(options.workers) if options.workers > 1 else None
    try:
        for token, planned in enumerate(files):
            mapping = mappings[(planned.mapping, planned.source)]
            spec = MapperSpec(token, mapping, options.region, options.max_field_length, planned.path.name)
            writer = sink()
            try:
                _load_file(planned, spec, pool, writer, quarantine, options, summary, progress, suppress)
            finally:
                if own:
                    writer.close()
            summary.files.append(str(planned.path))
            if own:
                _count(summary, writer)
    finally:
        if pool is not None:
            pool.close()


def _outcomes(spec: MapperSpec, pool: MapperPool | None, rows: Iterable[RawRow]) -> Iterator[tuple[RawRow, Mapped]]:
    if pool is not None:
        return pool.map(spec, rows)
    mapper = spec.mapper()
    return ((raw, map_row(mapper, raw.data, raw.error)) for raw in rows)


def _load_file(
    planned: PlannedFile,
    spec: MapperSpec,
    pool: MapperPool | None,
    writer: Sink,
    quarantine: Quarantine,
    options: LoadOptions,
    summary: LoadSummary,
    progress: ProgressFn | None,
    suppress: Suppression | None,
) -> None:
    mapping = spec.mapping
    fmt = mapping.format or detect_format(planned.path)
    limits = ReadLimits(max_line_bytes=options.max_line_bytes, max_fields=options.max_row_fields)
    batch: list[_Pending] = []
    issues = partial(_issues, quarantine, str(planned.path), mapping, summary)
    size = planned.path.stat().st_size
    report = partial(_report, progress, planned.path.name, size) if progress else None
    for raw, outcome in _outcomes(spec, pool, read_rows(planned.path, fmt, report, limits)):
        summary.rows_read += 1
        if isinstance(outcome, MappedRow):
            batch.append((outcome, raw.line, raw.raw))
            if len(batch) >= options.batch_size:
                summary.rows_suppressed += _hand_over(batch, writer, suppress, issues)
                batch = []
            continue
        if suppress is not None and suppress.raw(mapping.source, raw.raw):
            summary.rows_suppressed += 1  # the quarantine keeps no erased person's row
            continue
        quarantine.put(
            file=str(planned.path),
            line=raw.line,
            source=mapping.source,
            mapping=mapping.name,
            raw=raw.raw,
            reasons=outcome,
        )
        summary.rows_quarantined += 1
    summary.rows_suppressed += _hand_over(batch, writer, suppress, issues)


def _issues(quarantine: Quarantine, file: str, mapping: Mapping, summary: LoadSummary, pending: _Pending) -> None:
    mapped, line, raw = pending
    summary.fields_rejected += report_issues(quarantine, mapped, file=file, line=line, mapping=mapping, raw=raw)


def _hand_over(
    batch: list[_Pending], writer: Sink, suppress: Suppression | None, issues: Callable[[_Pending], None]
) -> int:
    """Give a batch to the writer, less the rows of people erased by now; returns how many those were.

    Field issues are reported for the rows handed over only: the quarantine keeps no erased
    person's values."""
    if suppress is not None:
        suppress.refresh()
    suppressed = 0
    for pending in batch:
        row = pending[0]
        if suppress is not None and suppress.row(row):
            suppressed += 1
        else:
            writer.add(row)
            issues(pending)
    writer.submit()  # now: rows checked against this state must not wait behind the next batch
    return suppressed
