"""Records as Spark reads them: JSON-lines part files, one line per record, written as they stream.

A record's line holds its index (its position in uid order, the in-process engine's index), the
attributes the hold-out rule reads, its identifiers and its steward and scored links as indices.
On a cluster the same rows come from the Neo4j Connector for Apache Spark running the same
`resolve_all_record_facts` query (see README, Beyond one machine); here the driver writes them.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.identity.evidence import Evidence, Record
from graph.identity.rules import MatchRules

__all__ = ["PEOPLE_FIELDS", "SCHEMA_DDL", "write_records"]

PEOPLE_FIELDS = ("birth_date", "first_name", "last_name", "full_name")
"""What graph/identity/people.py compares to decide whether an identifier is held out."""

SCHEMA_DDL = (
    "i BIGINT, birth_date STRING, first_name STRING, last_name STRING, full_name STRING, "
    "ids ARRAY<STRUCT<key: STRING, kind: STRING, degree: BIGINT, held: BOOLEAN>>, "
    "same ARRAY<BIGINT>, cannot ARRAY<BIGINT>, scored ARRAY<BIGINT>"
)
PART_RECORDS = 100_000


def _line(i: int, record: Record, index: dict[str, int], strong: set[str], scored: bool) -> dict[str, Any]:
    # str() as people.count_people does: a Neo4j date and its ISO text compare the same.
    row: dict[str, Any] = {"i": i} | {
        name: str(record.attrs[name]) for name in PEOPLE_FIELDS if record.attrs.get(name) is not None
    }
    row["ids"] = [
        {"key": key, "kind": kind, "degree": degree, "held": held}
        for key, kind, degree, held in record.ids
        if kind in strong
    ]
    row["same"] = [index[o] for o in record.same if o in index]
    row["cannot"] = [index[o] for o in record.cannot if o in index]
    row["scored"] = [index[o] for o in record.scored if o in index] if scored else []
    return row


def write_records(facts: Evidence, rules: MatchRules, directory: Path) -> int:
    """Write every record of `facts` under `directory`; returns the number of part files."""
    directory.mkdir(parents=True, exist_ok=True)
    strong = set(rules.strong)
    scored = rules.scoring_on is not None  # scoring off: stored scored links are ignored
    parts = 0
    for start in range(0, max(1, len(facts.records)), PART_RECORDS):
        chunk: Iterable[Record] = facts.records[start : start + PART_RECORDS]
        with (directory / f"part-{parts:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for offset, record in enumerate(chunk):
                handle.write(json.dumps(_line(start + offset, record, facts.index, strong, scored)) + "\n")
        parts += 1
    return parts
