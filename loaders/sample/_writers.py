"""Byte-stable output: CSV and JSONL files, the truth table and the load manifest."""

import csv
from collections.abc import Iterable
from pathlib import Path

from loaders.sample._records import Records
from loaders.sample._rows import TRUTH_COLUMNS, Row

MANIFEST = "manifest.toml"
TRUTH = "truth.csv"


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Row]) -> int:
    """Write a header and `rows`; returns the number of data rows."""
    count = 0
    # newline="" with an explicit "\n" terminator gives identical bytes on every platform.
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_jsonl(path: Path, lines: Iterable[str]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
            count += 1
    return count


def truth_rows(records: Records) -> list[Row]:
    rows = [["crm", c.contact_id, c.person.person_id, c.person.household_id] for c in records.crm]
    rows += [["shop", c.customer_id, c.person.person_id, c.person.household_id] for c in records.shop]
    rows += [["web", c.cookie_id, c.person_id, c.household_id] for c in records.cookies]
    rows += [["email", s.subscriber_id, s.person.person_id, s.person.household_id] for s in records.subscribers]
    rows += [["support", r.requester_id, r.person.person_id, r.person.household_id] for r in records.requesters]
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def write_truth(out: Path, records: Records) -> int:
    return write_csv(out / TRUTH, TRUTH_COLUMNS, truth_rows(records))


def write_manifest(
    out: Path, data_files: list[str], people: int, seed: int, default_region: str, noise: str | None = None
) -> None:
    lines = [
        "# written by c360 generate",
        f"people = {people}",
        f"seed = {seed}",
        f'default_region = "{default_region}"',
    ]
    if noise is not None:
        lines.append(f'noise = "{noise}"')
    for name in data_files:
        lines += ["", "[[files]]", f'path = "{name}"', f'mapping = "{Path(name).stem}"']
    (out / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
