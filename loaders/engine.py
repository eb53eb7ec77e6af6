"""The write path's engine: what every writer of identity needs, built once per process.

A process (the CLI, each API worker, a test session) builds one `Engine` at its edge from its
settings and hands it down: the match rules, the built-in mappings, the suppression key and the
normalization defaults are read once, not per request or per event. The real-time ingest use
case lives here, next to the parts it drives: map and validate one row, then hand it to the
micro-batcher, whose leader writes the rows of every event waiting at that moment in one
transaction (pending; erased people skipped) and resolves them in one micro-batch (group
commit), so the event is in its profile when `ingest` returns.
"""

from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from graph.connection import Graph
from graph.identity import MatchRules
from graph.identity.batching import MicroBatcher
from loaders.mapping import Mapping, builtin_names, load_mapping
from loaders.pipeline import report_issues
from loaders.quarantine import Quarantine, private_directory, purge
from loaders.rows import MappedRow, RowError, RowMapper
from loaders.suppression import Suppression
from loaders.writer import BatchWriter

__all__ = ["Engine", "IngestResult"]

IngestResult = dict[str, Any]
"""`{"quarantined", "reasons", "profile_ids", "fields_rejected"}`, plus `suppressed` for an erased
person's event. `fields_rejected`: the invalid optional values the event landed without
(field, value, reason), each also in the events quarantine."""


def _suppressed() -> IngestResult:
    # An erased person stays erased: the event is dropped, and nothing says who it was.
    return {"quarantined": False, "suppressed": True, "reasons": ["suppressed"], "profile_ids": []}


def _builtin_mappings() -> dict[str, Mapping]:
    return {name: load_mapping(name) for name in builtin_names()}


@dataclass(frozen=True)
class Engine:
    rules: MatchRules
    suppression_key: bytes
    """HMAC key of suppression entries (graph/privacy/suppression.py)."""
    region: str = "GB"
    """Region for national phone numbers."""
    max_field_length: int = 4096
    quarantine_dir: Path = Path(".c360/quarantine")
    erasure_touchpoints: Literal["delete", "anonymize"] = "delete"
    touchpoint_events: tuple[str, ...] = ()
    """Touchpoint types whose new links are change events (`C360_CHANGES_TOUCHPOINT_TYPES`)."""
    mappings: MappingOf[str, Mapping] = field(default_factory=_builtin_mappings)
    """The built-in mappings that real-time callers may name, parsed and validated once."""
    batcher: MicroBatcher = field(default_factory=MicroBatcher, compare=False)
    """Group commit of real-time writes: this process's micro-batches (graph/identity/batching.py)."""

    def mapping(self, name: str) -> Mapping:
        try:
            return self.mappings[name]
        except KeyError:
            known = ", ".join(sorted(self.mappings))
            raise ValueError(f"unknown mapping {name[:64]!r}; expected one of {known}") from None

    def suppression(self, graph: Graph) -> Suppression:
        """The check against erased people as of now; a long load `refresh`es it per batch."""
        return Suppression(graph, self.suppression_key, region=self.region, kinds=self.rules.strong)

    def purge_quarantine(self, graph: Graph) -> int:
        """Drop every erased person's entries from the quarantine files (after an erasure commits:
        files are outside its transaction). Returns how many went."""
        check = self.suppression(graph)
        return purge(private_directory(self.quarantine_dir), check.entry) if check.active else 0

    def ingest(self, graph: Graph, mapping_name: str, row: dict[str, Any]) -> IngestResult:
        """One record or touchpoint in real time. A bad event goes to `<quarantine_dir>/events.jsonl`."""
        mapping = self.mapping(mapping_name)
        mapper = RowMapper(mapping, region=self.region, max_field_length=self.max_field_length, source_file="event")
        try:
            mapped = mapper.map(row)
        except RowError as exc:
            if self.suppression(graph).raw(mapping.source, row):
                return _suppressed()
            with Quarantine(private_directory(self.quarantine_dir) / "events.jsonl") as quarantine:
                quarantine.put(
                    file="event", line=0, source=mapping.source, mapping=mapping.name, raw=row, reasons=exc.reasons
                )
            return {"quarantined": True, "reasons": list(exc.reasons), "profile_ids": [], "fields_rejected": []}
        self.batcher.admit()  # raises Overloaded (429) while the backlog is too deep
        # Written (pending) with the other waiting events' rows, then resolved in one micro-batch;
        # the profiles are read under the lock after it, so they are final. Raises Overloaded
        # (503) when that takes too long: the record is stored and will be resolved.
        landed = self.batcher.wait(graph, self.rules, write=self._write_events, payload=mapped)
        if landed.uids is None:
            return _suppressed()
        if mapped.issues:
            # The event landed without these values; each is reported like a batch load's.
            with Quarantine(private_directory(self.quarantine_dir) / "events.jsonl") as quarantine:
                report_issues(quarantine, mapped, file="event", line=0, mapping=mapping, raw=row)
        uids = landed.uids
        profile_ids = sorted({pid for pid in landed.profiles.values() if pid})
        return {
            "quarantined": False,
            "reasons": [],
            "profile_ids": profile_ids,
            "record_uids": uids,
            "fields_rejected": [{"field": i.field, "value": i.value, "reason": i.reason} for i in mapped.issues],
        }

    def _write_events(self, graph: Graph, rows: list[MappedRow]) -> list[list[str] | None]:
        """The micro-batcher's writer: the rows of several events in one transaction, `pending`.
        Erased people are checked here, against the entries as of now (one count query for the
        group), and skipped (None). Returns the person records of each written row."""
        suppress = self.suppression(graph)
        kept = [not suppress.row(row) for row in rows]
        writer = BatchWriter(graph, len(rows), touchpoint_events=self.touchpoint_events)
        try:
            for row, keep in zip(rows, kept, strict=True):
                if keep:
                    writer.add(row)
        finally:
            writer.close()
        return [
            [entity.uid for entity in row.entities if entity.kind == "person"] if keep else None
            for row, keep in zip(rows, kept, strict=True)
        ]
