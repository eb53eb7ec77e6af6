import gzip
from pathlib import Path

import pytest

from loaders.readers import detect_format, read_rows


def test_csv_rows_carry_line_numbers_and_flag_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('id,name\n1,"Ann"\n2,Bob,extra\n3,"multi\nline"\n4,Cy\n', encoding="utf-8")
    rows = list(read_rows(path, "csv"))
    assert [r.line for r in rows] == [2, 3, 5, 6]
    assert rows[0].data == {"id": "1", "name": "Ann"}
    assert rows[1].data is None and "3 fields, header has 2" in (rows[1].error or "")
    assert rows[2].data == {"id": "3", "name": "multi\nline"}
    assert rows[3].error is None


def test_csv_invalid_utf8_is_flagged_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"id,name\n1,\xff\xfe\n2,ok\n")
    rows = list(read_rows(path, "csv"))
    assert rows[0].error == "row is not valid UTF-8"
    assert rows[1].data == {"id": "2", "name": "ok"}


def test_jsonl_bad_lines_become_errors(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"event_id": "E-\n[1, 2]\n\xff\n{"b": 2}\n')
    rows = list(read_rows(path, "jsonl"))
    assert [(r.line, r.data is not None) for r in rows] == [(1, True), (3, False), (4, False), (5, False), (6, True)]
    assert rows[1].error is not None and rows[1].error.startswith("invalid JSON")
    assert rows[2].error == "expected a JSON object, got list"
    assert rows[3].error is not None and "UTF-8" in rows[3].error


def test_gzip_and_progress(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.writelines(f'{{"n": {i}}}\n' for i in range(1000))
    seen: list[int] = []
    rows = list(read_rows(path, detect_format(path), seen.append))
    assert len(rows) == 1000 and rows[-1].data == {"n": 999}
    assert seen and seen == sorted(seen) and seen[-1] > 0


@pytest.mark.parametrize("name", ["x.txt", "x.json", "x"])
def test_unknown_format_is_a_clear_error(name: str) -> None:
    with pytest.raises(ValueError, match="unknown file type"):
        detect_format(Path(name))


def test_csv_header_names_are_trimmed(tmp_path: Path) -> None:
    # "a, b, c" is how people type a header by hand: the spaces must not hide every column but the
    # first from the mapping (the record would land without its values, and nothing would say so).
    path = tmp_path / "p.csv"
    path.write_text("source_id, first_name , email\nA1, Ann, ann@x.org\n", encoding="utf-8")
    rows = list(read_rows(path, "csv"))
    assert rows[0].error is None
    assert rows[0].data == {"source_id": "A1", "first_name": " Ann", "email": " ann@x.org"}


def test_csv_header_names_equal_once_trimmed_are_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,email,email \n1,a@x.org,b@x.org\n", encoding="utf-8")
    rows = list(read_rows(path, "csv"))
    assert len(rows) == 1 and rows[0].error == "CSV header has empty or duplicate column names"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_csv_delimiter_is_read_from_the_header(tmp_path: Path, delimiter: str) -> None:
    # Excel in a French or German locale saves "CSV" with semicolons; exports are often tab-separated.
    path = tmp_path / "p.csv"
    lines = ["id,x", "name", "note"], ["1", "Ann", "a,b"]
    path.write_text("\n".join(delimiter.join(line) for line in lines) + "\n", encoding="utf-8")
    rows = list(read_rows(path, "csv"))
    assert [(r.data, r.error) for r in rows] == [({"id,x": "1", "name": "Ann", "note": "a,b"}, None)]


def test_csv_commas_win_over_other_delimiters_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,a;b\n1,x;y\n", encoding="utf-8")
    assert [r.data for r in read_rows(path, "csv")] == [{"id": "1", "a;b": "x;y"}]


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ("id,name\r\n1,Ann\r\n".encode("utf-16"), "UTF-16"),
        ("id,name\n1,Ann\n".encode("utf-16-le"), "UTF-16"),
        (b"id,name\r1,Ann\r2,Bob\r", "bare CR"),
    ],
)
def test_csv_files_in_another_encoding_or_line_ending_say_so(tmp_path: Path, data: bytes, hint: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    rows = list(read_rows(path, "csv"))
    assert len(rows) == 1 and rows[0].data is None and hint in (rows[0].error or ""), rows
