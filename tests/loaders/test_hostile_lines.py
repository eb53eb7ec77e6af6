"""Hostile lines stay one line's problem: every other row still comes through, memory stays bounded."""

import gzip
import json
import os
import tracemalloc
import zlib
from pathlib import Path

from loaders.readers import MAX_DEPTH, ReadLimits, read_rows

GOOD = [{"source_id": str(n), "first_name": f"P{n}", "email": f"p{n}@x.org"} for n in range(1, 5)]


def _good(n: int) -> bytes:
    return json.dumps(GOOD[n]).encode() + b"\n"


HOSTILE: list[tuple[bytes, str]] = [
    (b'{"source_id": "9", "deep": ' + b"[" * 1500 + b"]" * 1500 + b"}\n", "nested deeper than"),
    (b'{"source_id": "9", "n": ' + b"7" * 5000 + b"}\n", "Exceeds the limit (4300 digits)"),
    (b'{"source_id": "9", "name": "\xff\xfe"}\n', "not valid UTF-8"),
    (b"[1, 2, 3]\n", "expected a JSON object, got list"),
    (b'"just text"\n', "expected a JSON object, got str"),
    (b'{"source_id": "9", "score": NaN}\n', "NaN is not JSON"),
    # Too big for a float: Python reads them as infinity, which NaN's rule is there to keep out.
    (b'{"source_id": "9", "total": 1e400}\n', "number out of range"),
    (b'{"source_id": "9", "total": -' + b"9" * 400 + b".5}\n", "number out of range"),
    (b'{"source_id": "9", "name": "\\ud800"}\n', "unpaired surrogate"),
    (json.dumps({f"k{i}": i for i in range(600)}).encode() + b"\n", "more than 500 fields (C360_MAX_ROW_FIELDS)"),
    (b'{"a": ' * 100 + b"1" + b"}" * 100 + b"\n", f"nested deeper than {MAX_DEPTH} levels"),
    (b'{"source_id": "9", "pad": "' + b"x" * 10_000 + b'"}\n', "line longer than 8192 bytes (C360_MAX_LINE_BYTES)"),
    (b'{"source_id": "9", "broken": \n', "invalid JSON"),
]


def test_each_hostile_jsonl_line_is_quarantined_alone(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    body = [_good(0)] + [line for line, _ in HOSTILE] + [_good(1), b"\n", _good(2), _good(3)]
    path.write_bytes(b"".join(body))
    rows = list(read_rows(path, "jsonl", limits=ReadLimits(max_line_bytes=8192)))
    assert [r.data for r in rows if r.data is not None] == GOOD
    bad = [r for r in rows if r.data is None]
    assert len(bad) == len(HOSTILE)
    for row, (_, reason) in zip(bad, HOSTILE, strict=True):
        assert row.error is not None and reason in row.error, (row.line, row.error)
    assert [r.line for r in bad] == list(range(2, 2 + len(HOSTILE)))
    assert bad[-2].raw.endswith("…") and len(bad[-2].raw) < 600  # only the start of an over-long line is kept
    json.dumps([r.raw for r in rows])  # what the quarantine will write is all writable


def test_a_byte_order_mark_on_the_first_line_is_dropped(tmp_path: Path) -> None:
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + _good(0) + _good(1))
    assert [r.data for r in read_rows(jsonl, "jsonl")] == GOOD[:2]
    csv_file = tmp_path / "p.csv"
    csv_file.write_bytes(b"\xef\xbb\xbfsource_id,first_name\r\n1,Ann\r\n")
    assert [r.data for r in read_rows(csv_file, "csv")] == [{"source_id": "1", "first_name": "Ann"}]


def test_broken_csv_quoting_costs_at_most_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    filler = "".join(f"{n},filler row {n:04d} of the broken record\n" for n in range(100))
    path.write_text(f'id,name\n1,Ann\n2,"Bob never closes\n{filler}3,Cy\n', encoding="utf-8")
    rows = list(read_rows(path, "csv", limits=ReadLimits(max_line_bytes=1024)))
    assert rows[0].data == {"id": "1", "name": "Ann"}
    assert rows[1].data is None and rows[1].error == "row longer than 1024 bytes (C360_MAX_LINE_BYTES)"
    assert "Bob never closes" in rows[1].raw
    assert rows[-1].data == {"id": "3", "name": "Cy"}  # before: swallowed into Bob's field to the end


def test_csv_caps_on_lines_and_columns(tmp_path: Path) -> None:
    long_line = tmp_path / "long.csv"
    long_line.write_text("id,name\n1," + "x" * 3000 + "\n2,Bob\n", encoding="utf-8")
    rows = list(read_rows(long_line, "csv", limits=ReadLimits(max_line_bytes=1024)))
    assert [(r.line, r.error) for r in rows] == [(2, "line longer than 1024 bytes (C360_MAX_LINE_BYTES)"), (3, None)]
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(20)) + "\n" + ",".join("1" * 20) + "\n", encoding="utf-8")
    [row] = list(read_rows(wide, "csv", limits=ReadLimits(max_fields=10)))
    assert row.error == "CSV header has 20 columns, more than 10 (C360_MAX_ROW_FIELDS)"


def _bomb(path: Path, inflated: int) -> None:
    """A small .gz that inflates to `inflated` zero bytes with no newline, then one good row."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = bytes(1 << 20)
    with path.open("wb") as handle:
        for _ in range(inflated // len(chunk)):
            handle.write(compressor.compress(chunk))
        handle.write(compressor.compress(b"\n" + _good(0)))
        handle.write(compressor.flush())


def test_a_gzip_bomb_is_one_quarantined_line_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    _bomb(path, 200 << 20)
    assert path.stat().st_size < 1 << 20  # 200 MB inflated from a few hundred KB
    tracemalloc.start()
    try:
        rows = list(read_rows(path, "jsonl"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.line, r.data) for r in rows] == [(1, None), (2, GOOD[0])]
    assert rows[0].error == f"line longer than {1 << 20} bytes (C360_MAX_LINE_BYTES)"
    assert peak < 16 << 20, f"peak {peak / 2**20:.0f} MiB"  # the cap and buffers, never the 200 MB line


def test_a_truncated_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    noise = os.urandom(50_000).hex().encode()  # incompressible, so the cut lands inside it
    whole = gzip.compress(b"".join(_good(n) for n in range(4)) + noise + b"\n")
    path.write_bytes(whole[: len(whole) - 200])
    rows = list(read_rows(path, "jsonl"))
    assert [r.data for r in rows[:4]] == GOOD
    assert rows[-1].data is None and rows[-1].error is not None and rows[-1].error.startswith("file unreadable")
