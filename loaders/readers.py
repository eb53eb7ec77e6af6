"""Read source rows from CSV and JSONL files (optionally gzipped), one dict per row, never raising.

A row that cannot be parsed comes back with `error` set so the caller can quarantine it and go on.
"""

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

__all__ = ["Format", "RawRow", "detect_format", "read_rows"]

Format = Literal["csv", "jsonl"]
_SUFFIXES: dict[str, Format] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    data: dict[str, Any] | None
    raw: Any  # what the quarantine keeps: the parsed CSV row or the JSONL line text
    error: str | None = None


def detect_format(path: Path) -> Format:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    raise ValueError(f"{path}: unknown file type; expected .csv, .jsonl or .ndjson (optionally .gz)")


class _CountingReader(io.RawIOBase):
    """Counts bytes consumed so progress can be shown against the file size."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def _open(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_rows(path: Path, fmt: Format, progress: Callable[[int], None] | None = None) -> Iterator[RawRow]:
    with _open(path) as handle:
        counter = _CountingReader(handle)
        stream = io.BufferedReader(counter, buffer_size=1 << 16)
        rows = _csv_rows(stream) if fmt == "csv" else _jsonl_rows(stream)
        for row in rows:
            yield row
            if progress is not None:
                progress(counter.consumed)


def _csv_rows(stream: IO[bytes]) -> Iterator[RawRow]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield RawRow(1, None, None, f"unreadable CSV header: {exc}")
        return
    if len(set(header)) != len(header) or any(not name.strip() for name in header):
        yield RawRow(1, None, header, "CSV header has empty or duplicate column names")
        return
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRow(reader.line_num, None, None, f"unparseable CSV row: {exc}")
            continue
        line = reader.line_num
        if not values:
            continue
        if len(values) != len(header):
            yield RawRow(line, None, values, f"row has {len(values)} fields, header has {len(header)}")
            continue
        data = dict(zip(header, values, strict=True))
        if any("\ufffd" in value for value in values):
            yield RawRow(line, None, data, "row is not valid UTF-8")
            continue
        yield RawRow(line, data, data)


def _jsonl_rows(stream: IO[bytes]) -> Iterator[RawRow]:
    for line, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            yield RawRow(line, None, shown, f"not valid UTF-8: {exc.reason}")
            continue
        text = text.rstrip("\r\n")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RawRow(line, None, text, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(data, dict):
            yield RawRow(line, None, text, f"expected a JSON object, got {type(data).__name__}")
            continue
        yield RawRow(line, data, text)
