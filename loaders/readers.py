"""Read source rows from CSV and JSONL files (optionally gzipped), one dict per row, never raising.

A line or row that cannot be read comes back with `error` set so the caller can quarantine it
and go on: whatever a hostile line makes the parser raise (nesting that exhausts the recursion
limit, a number too long to convert, invalid UTF-8, broken quoting) stays with that line.
Lines are capped in bytes (`max_line_bytes`) and rows in fields (`max_fields`).
"""

import csv
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from loaders.lines import Lines, SourceError, TooLong, preview

__all__ = ["MAX_DEPTH", "Format", "RawRow", "ReadLimits", "detect_format", "finite_float", "read_rows"]

Format = Literal["csv", "jsonl"]
_SUFFIXES: dict[str, Format] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Nesting deeper than this is no source record; later steps (mapping, the quarantine's own
# JSON encoder) recurse per level, so it is refused while it is still one line's problem.
MAX_DEPTH = 64
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    data: dict[str, Any] | None
    raw: Any  # what the quarantine keeps: the parsed CSV row or the JSONL line text
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_line_bytes: int = 1 << 20  # C360_MAX_LINE_BYTES: a longer line (or CSV record) is quarantined
    max_fields: int = 500  # C360_MAX_ROW_FIELDS: columns of a CSV file, keys and items of a JSON row

    def too_long(self, what: str = "line") -> str:
        return f"{what} longer than {self.max_line_bytes} bytes (C360_MAX_LINE_BYTES)"


def detect_format(path: Path) -> Format:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    raise ValueError(f"{path}: unknown file type; expected .csv, .jsonl or .ndjson (optionally .gz)")


def read_rows(
    path: Path,
    fmt: Format,
    progress: Callable[[int], None] | None = None,
    limits: ReadLimits = ReadLimits(),
) -> Iterator[RawRow]:
    with Lines(path, limits.max_line_bytes) as lines:
        rows = _csv_rows(lines, limits) if fmt == "csv" else _jsonl_rows(lines, limits)
        try:
            for row in rows:
                yield row
                if progress is not None:
                    progress(lines.consumed)
        except SourceError as exc:
            # Nothing after this point can be read; what was read before still counts.
            yield RawRow(lines.number + 1, None, None, f"file {exc}")


# --- JSON lines ---------------------------------------------------------------------------


def _jsonl_rows(lines: Lines, limits: ReadLimits) -> Iterator[RawRow]:
    for data in lines:
        if isinstance(data, TooLong):
            yield RawRow(lines.number, None, preview(data), limits.too_long())
        elif data.strip():
            try:
                yield _json_row(lines.number, data, limits)
            except Exception as exc:  # noqa: BLE001 - whatever one line does, it is that line's reason
                yield RawRow(lines.number, None, preview(data), f"unreadable line: {type(exc).__name__}: {exc}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def finite_float(text: str) -> float:
    """`parse_float` for JSON from outside (source lines, request bodies): 1e400 (or 400 digits
    before the point) reads as infinity, the value NaN's rule keeps out, so it is refused."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


# One decoder for every line: json.loads with an option builds a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=finite_float)


def _json_row(number: int, line: bytes, limits: ReadLimits) -> RawRow:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = line.decode("utf-8", errors="replace").rstrip("\r\n")
        return RawRow(number, None, shown, f"not valid UTF-8: {exc.reason}")
    text = text.rstrip("\r\n")
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return RawRow(number, None, text, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return RawRow(number, None, text, f"invalid JSON: nested deeper than {MAX_DEPTH} levels")
    except ValueError as exc:  # a number too long to convert, NaN or Infinity
        return RawRow(number, None, text, f"invalid JSON: {str(exc).split(';')[0]}")
    if not isinstance(data, dict):
        return RawRow(number, None, text, f"expected a JSON object, got {type(data).__name__}")
    problem = _shape(line, data, limits.max_fields) or _surrogates(line, data)
    if problem is not None:
        return RawRow(number, None, text, problem)
    return RawRow(number, data, text)


def _surrogates(line: bytes, data: dict[str, Any]) -> str | None:
    """An escaped unpaired surrogate (`"\\ud800"`) parses but is no text: nothing can encode it."""
    if not _SURROGATE_ESCAPE.search(line):
        return None  # raw UTF-8 cannot carry surrogates: only escapes can, so most rows skip this
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "invalid JSON: unpaired surrogate escape"
    return None


def _shape(line: bytes, data: dict[str, Any], max_fields: int) -> str | None:
    """Why a parsed row is too big or too deep; iterative, so depth costs no stack."""
    # Every key or item but a container's first follows a comma, the first an opening bracket,
    # and each level opens one: counting those bytes bounds both, and spares most rows the walk.
    openings = line.count(b"{") + line.count(b"[")
    if openings <= MAX_DEPTH and openings + line.count(b",") <= max_fields:
        return None
    fields = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            fields += 1
            if fields > max_fields:
                return f"more than {max_fields} fields (C360_MAX_ROW_FIELDS)"
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return None


# --- CSV ----------------------------------------------------------------------------------


class _Reject(Exception):
    def __init__(self, line: int, reason: str, raw: str) -> None:
        super().__init__(reason)
        self.line, self.reason, self.raw = line, reason, raw


class _CsvLines:
    """Decoded lines for `csv.reader`, capped per record: a quoted field that never closes
    swallows lines only up to the cap. Raising from here aborts the record being parsed and
    the reader starts afresh on the next line."""

    def __init__(self, lines: Lines, limits: ReadLimits) -> None:
        self._lines = lines
        self._limits = limits
        self.number = 0
        self.text: list[str] = []
        self.bad_utf8 = False
        self._bytes = 0

    def start(self) -> None:
        self.text, self.bad_utf8, self._bytes = [], False, 0

    def raw(self) -> str:
        return preview("".join(self.text).encode())

    def __iter__(self) -> "_CsvLines":
        return self

    def __next__(self) -> str:
        data = next(self._lines)
        self.number = self._lines.number
        self._bytes += len(data)
        too_long = isinstance(data, TooLong)
        if too_long or self._bytes > self._limits.max_line_bytes:
            reason = self._limits.too_long("line" if too_long else "row")
            raise _Reject(self.number, reason, preview("".join(self.text).encode() + data))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Kept (with replacement characters) so the reader still sees where the row ends.
            self.bad_utf8 = True
            text = data.decode("utf-8", errors="replace")
        self.text.append(text)
        return text


def _csv_rows(lines: Lines, limits: ReadLimits) -> Iterator[RawRow]:
    source = _CsvLines(lines, limits)
    reader = csv.reader(source, strict=False)
    header: list[str] | None = None
    while True:
        source.start()
        try:
            values = next(reader)
        except StopIteration:
            return
        except _Reject as exc:
            if header is None:
                yield RawRow(exc.line, None, exc.raw, f"unreadable CSV header: {exc.reason}")
                return
            yield RawRow(exc.line, None, exc.raw, exc.reason)
            continue
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - csv.Error and anything else stays with this row
            if header is None:
                # Python's own reason for these ("universal-newline mode?") misleads: the hint replaces it.
                reason = f"unreadable CSV header: {_header_hint(source.text) or exc}"
                yield RawRow(source.number, None, source.raw(), reason)
                return
            yield RawRow(source.number, None, source.raw(), f"unparseable CSV row: {exc}")
            continue
        if header is None:
            delimiter = _delimiter("".join(source.text))
            if delimiter != ",":
                values = next(csv.reader(source.text, delimiter=delimiter, strict=False))
                reader = csv.reader(source, delimiter=delimiter, strict=False)
            # Hand-typed headers ("id, name") carry spaces that would hide columns from the mapping.
            header = [name.strip() for name in values]
            problem = _header_problem(header, limits.max_fields, source.bad_utf8)
            if problem is not None:
                hint = _header_hint(source.text)
                yield RawRow(source.number, None, source.raw(), f"{problem} ({hint})" if hint else problem)
                return
            continue
        if not values:
            continue
        yield _csv_row(source, header, values)


def _delimiter(header: str) -> str:
    """The header's most frequent separator, commas winning ties: Excel in a French or German
    locale writes semicolons, many exports tabs, and column names rarely hold any of them."""
    return max(",;\t|", key=header.count)


def _header_hint(text: list[str]) -> str:
    """What usually makes a header unreadable, when the bytes show it."""
    header = "".join(text)
    if "\x00" in header or header.startswith("\ufffd\ufffd"):
        return "the file looks UTF-16 encoded: save it as UTF-8"
    if "\r" in header.rstrip("\r\n"):
        return "lines end with a bare CR, as old Mac files do: save it with LF or CRLF line ends"
    return ""


def _header_problem(header: list[str], max_fields: int, bad_utf8: bool) -> str | None:
    if bad_utf8:
        return "CSV header is not valid UTF-8"
    if len(header) > max_fields:
        return f"CSV header has {len(header)} columns, more than {max_fields} (C360_MAX_ROW_FIELDS)"
    if len(set(header)) != len(header) or any(not name.strip() for name in header):
        return "CSV header has empty or duplicate column names"
    if any("\x00" in name for name in header):
        return "CSV header holds NUL characters"
    return None


def _csv_row(source: _CsvLines, header: list[str], values: list[str]) -> RawRow:
    line = source.number
    if len(values) != len(header):
        return RawRow(line, None, values, f"row has {len(values)} fields, header has {len(header)}")
    data = dict(zip(header, values, strict=True))
    if source.bad_utf8:
        return RawRow(line, None, data, "row is not valid UTF-8")
    return RawRow(line, data, data)
