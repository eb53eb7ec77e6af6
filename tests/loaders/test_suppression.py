"""Erased people stay out of loads that started before the erasure, and out of the quarantine."""

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from graph.connection import Graph
from graph.identity import load_rules
from graph.privacy import erasure, subject, suppression
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from loaders.suppression import Suppression, raw_tokens

SECRET = b"loader-suppression-test"
ANN = "ann.quill@example.com"
COLUMNS = ["source_id", "first_name", "last_name", "email", "birth_date"]


def _people(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _uids(graph: Graph) -> list[str]:
    rows = graph.driver.execute_query("MATCH (c:Customer) RETURN c.uid AS uid ORDER BY uid", database_=graph.database)
    return [record["uid"] for record in rows.records]


def test_an_erasure_during_a_load_holds_for_every_later_batch(graph: Graph, tmp_path: Path) -> None:
    path = _people(
        tmp_path / "people.csv",
        [
            ["A-1", "Ann", "Quill", ANN, ""],  # batch 1: lands, then she is erased
            ["B-1", "Bob", "Stone", "bob@example.com", ""],
            ["C-1", "Cy", "Reed", "cy@example.com", ""],  # batch 2
            ["D-1", "Dee", "Moss", "dee@example.com", ""],
            ["A-2", "Annie", "Quill", f" {ANN.upper()} ", ""],  # batch 3: her email, another record
            ["A-1", "Ann", "Quill-Smith", "ann.new@example.com", ""],  # her record id again
            ["A-3", "Ann", "Quill", ANN, "01/02/1980"],  # her email, and a value for the quarantine
            ["E-1", "Eve", "Lark", "eve@example.com", "03/04/1990"],  # someone else: the date goes
            ["F-1", "Fay", "Wren", "fay@example.com", ""],
        ],
    )
    calls = 0

    def erase_after_first_batch(name: str, done: int, total: int) -> None:
        # Called as row n+1 is read: after row 4 the writer has been handed batch 2, so batch 1
        # (Ann's record) is committed.
        nonlocal calls
        calls += 1
        if calls == 4:
            person = subject.find(graph, f"email:{ANN}")
            erasure.erase(graph, person, secret=SECRET, rules=load_rules(), actor="test:erin")

    target = tmp_path / "q.jsonl"
    guard = Suppression(graph, SECRET)
    assert not guard.active  # nobody was erased when the load started
    with Quarantine(target) as quarantine:
        summary = load(
            graph,
            plan([path], "customers", "crm"),
            quarantine,
            LoadOptions(batch_size=2),
            erase_after_first_batch,
            guard,
        )
    assert calls >= 4
    # Ambiguous birth dates cost the value, not the row: Eve lands without hers (a field entry);
    # Ann's row with one is suppressed like her others, and its value is not quarantined.
    assert (summary.rows_read, summary.rows_suppressed, summary.rows_quarantined) == (9, 3, 0)
    assert summary.fields_rejected == 1
    assert _uids(graph) == ["crm:B-1", "crm:C-1", "crm:D-1", "crm:E-1", "crm:F-1"]
    entries = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(e["raw"]["source_id"], e["kind"], e["field"]) for e in entries] == [("E-1", "field", "birth_date")]
    assert ANN not in target.read_text(encoding="utf-8").casefold()


def test_raw_rows_name_people_by_normalized_values(graph: Graph) -> None:
    tokens = raw_tokens(
        {"id": " X-1 ", "contact": {"mail": "Ann.Quill@Example.COM"}, "tel": "07911 271828"}, ["crm"], "GB"
    )
    assert {"record:crm:X-1", f"email:{ANN}", "phone:+447911271828"} <= tokens
    # A line that never parsed is searched for JSON strings, delimited pieces and email-like words.
    line = '{"id": "X-2", "n": 7777, "note": "write to <ann.quill@example.com> today"'
    assert {"record:crm:X-2", f"email:{ANN}"} <= raw_tokens(line, ["crm"], "GB")
    assert {"phone:+447911271828", "record:shop:S-9"} <= raw_tokens("S-9,Ann,+44 7911 271828", ["shop"], "GB")
    suppression.add(graph, [suppression.digest(SECRET, f"email:{ANN}")], now=datetime.now(UTC))
    check = Suppression(graph, SECRET)
    assert check.raw("crm", line) and check.entry({"source": "crm", "raw": {"e": ANN.upper()}})
    assert not check.raw("crm", {"e": "someone.else@example.com"}) and not check.raw(None, None)
