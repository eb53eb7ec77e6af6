"""One record or touchpoint in real time: map, validate, write, resolve incrementally.

The same mapping, validation and writes as a batch load, for a single row, followed by an
incremental resolve, so the event is visible in its profile as soon as this returns.
"""

from pathlib import Path
from typing import Any

from c360.settings import Settings
from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.privacy import suppression
from loaders.mapping import load_mapping
from loaders.quarantine import Quarantine
from loaders.rows import RowError, RowMapper
from loaders.writer import BatchWriter

__all__ = ["ingest_event"]


def ingest_event(graph: Graph, settings: Settings, mapping_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """`{"quarantined", "reasons", "profile_ids"}` (and `suppressed` for an erased person's event).

    A bad event goes to `$C360_HOME/quarantine/events.jsonl`.
    """
    mapping = load_mapping(mapping_name)
    mapper = RowMapper(
        mapping, region=settings.default_region, max_field_length=settings.max_field_length, source_file="event"
    )
    try:
        mapped = mapper.map(row)
    except RowError as exc:
        with Quarantine(Path(settings.home) / "quarantine" / "events.jsonl") as quarantine:
            quarantine.put(
                file="event", line=0, source=mapping.source, mapping=mapping.name, raw=row, reasons=exc.reasons
            )
        return {"quarantined": True, "reasons": list(exc.reasons), "profile_ids": []}
    suppress = suppression.checker(graph, suppression.key(settings))
    if suppress is not None and suppress(mapped):
        # An erased person stays erased: the event is dropped, and nothing says who it was.
        return {"quarantined": False, "suppressed": True, "reasons": ["suppressed"], "profile_ids": []}
    writer = BatchWriter(graph, 1)
    try:
        writer.add(mapped)
    finally:
        writer.close()
    resolve(graph, load_rules(settings.rules))
    uids = [entity.uid for entity in mapped.entities if entity.kind == "person"]
    rows = graph.read("profile_of_records", uids=uids) if uids else []
    return {"quarantined": False, "reasons": [], "profile_ids": sorted({r["pid"] for r in rows if r["pid"]})}
