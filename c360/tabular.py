"""Export files: rows over a fixed list of fields as CSV, JSON lines or Parquet, streamed.

Parquet is written by DuckDB (already a dependency through Splink): rows are spooled as JSON lines
to a temporary file beside the output, then DuckDB converts the spool with one typed column per
field. Neither step holds the rows in memory (DuckDB streams the conversion under a small memory
limit), so an export of any size runs in bounded memory. Column types come from the caller
(`text int float bool date datetime`); a field without one is text.
"""

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import duckdb

__all__ = ["FORMATS", "write_rows"]

FORMATS = ("csv", "jsonl", "parquet")
_SQL_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMPTZ",
}
DUCKDB_MEMORY = "256MB"


def _jsonl(rows: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _csv(rows: Iterable[dict[str, Any]], fields: list[str], handle: IO[str]) -> int:
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _parquet(spool: Path, fields: list[str], types: Mapping[str, str], out: Path) -> None:
    columns = {name: _SQL_TYPES[types.get(name, "text")] for name in fields}
    with duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "threads": 1}) as con:
        relation = con.read_json(str(spool), format="newline_delimited", columns=columns)
        relation.write_parquet(str(out), compression="zstd")


def write_rows(
    rows: Iterable[dict[str, Any]],
    fields: list[str],
    fmt: str,
    out: Path | None,
    *,
    types: Mapping[str, str] | None = None,
    stdout: IO[str] | None = None,
) -> int:
    """Write `rows` (dicts with exactly `fields`) to `out` (None: `stdout`); the number written.
    Parquet needs a file (it is binary and written at the end)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    unknown = sorted({t for t in (types or {}).values()} - set(_SQL_TYPES))
    if unknown:
        raise ValueError(f"unknown column types {unknown}")
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet is written to a file: give --out FILE")
        # The spool sits beside the output: same disk, and nothing of it is left on failure.
        descriptor, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".jsonl", dir=out.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as spool:
                count = _jsonl(rows, spool)
            _parquet(Path(name), fields, types or {}, out)
        finally:
            Path(name).unlink(missing_ok=True)
        return count
    if out is None:
        if stdout is None:
            raise ValueError("no output given")
        return _csv(rows, fields, stdout) if fmt == "csv" else _jsonl(rows, stdout)
    with out.open("w", encoding="utf-8", newline="") as handle:
        return _csv(rows, fields, handle) if fmt == "csv" else _jsonl(rows, handle)
