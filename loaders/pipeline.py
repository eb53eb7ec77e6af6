"""Load source files into the graph: read, map and validate, quarantine the bad, batch-write the good."""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from graph.connection import Graph
from loaders.manifest import PlannedFile
from loaders.mapping import load_mapping
from loaders.quarantine import Quarantine
from loaders.readers import detect_format, read_rows
from loaders.rows import MappedRow, RowError, RowMapper
from loaders.writer import BatchWriter

__all__ = ["LoadOptions", "LoadSummary", "ProgressFn", "SuppressFn", "load"]

# (file name, bytes read so far, file size)
ProgressFn = Callable[[str, int, int], None]
# True for a row that must not land: it belongs to an erased person (graph/privacy/suppression).
SuppressFn = Callable[[MappedRow], bool]


@dataclass(frozen=True)
class LoadOptions:
    batch_size: int = 2000
    region: str = "GB"
    max_field_length: int = 4096


@dataclass
class LoadSummary:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_suppressed: int = 0
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
            "entities_written": dict(self.entities),
            "relationships_merged": dict(self.relationships),
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def _report(progress: ProgressFn, name: str, size: int, done: int) -> None:
    progress(name, done, size)


def load(
    graph: Graph,
    files: list[PlannedFile],
    quarantine: Quarantine,
    options: LoadOptions,
    progress: ProgressFn | None = None,
    suppress: SuppressFn | None = None,
) -> LoadSummary:
    """Load every planned file in order. Mappings are all checked before the first row is read."""
    mappings = {(f.mapping, f.source): load_mapping(f.mapping, source=f.source) for f in files}
    summary = LoadSummary()
    started = time.perf_counter()
    for planned in files:
        mapping = mappings[(planned.mapping, planned.source)]
        fmt = mapping.format or detect_format(planned.path)
        mapper = RowMapper(
            mapping,
            region=options.region,
            max_field_length=options.max_field_length,
            source_file=planned.path.name,
        )
        writer = BatchWriter(graph, options.batch_size)
        name = planned.path.name
        size = planned.path.stat().st_size
        report = partial(_report, progress, name, size) if progress else None
        try:
            for raw in read_rows(planned.path, fmt, report):
                summary.rows_read += 1
                reasons = [raw.error] if raw.error else []
                if raw.data is not None:
                    try:
                        mapped = mapper.map(raw.data)
                        if suppress is not None and suppress(mapped):
                            summary.rows_suppressed += 1
                        else:
                            writer.add(mapped)
                        continue
                    except RowError as exc:
                        reasons = exc.reasons
                quarantine.put(
                    file=str(planned.path),
                    line=raw.line,
                    source=mapping.source,
                    mapping=mapping.name,
                    raw=raw.raw,
                    reasons=reasons,
                )
                summary.rows_quarantined += 1
        finally:
            writer.close()
        summary.files.append(str(planned.path))
        summary.rows_loaded += writer.rows
        summary.entities.update(writer.entities)
        summary.relationships.update(writer.relationships)
    summary.seconds = time.perf_counter() - started
    return summary
