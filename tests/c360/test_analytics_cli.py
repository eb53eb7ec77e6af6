"""`c360 traits refresh`, `c360 segment ...` and `c360 export segment` end to end."""

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from graph.connection import Graph
from graph.segments.activation import EXPORT_FIELDS
from loaders.sample import generate
from tests.c360.test_cli import cli, run

__all__ = ["cli"]

SEGMENT = json.dumps(
    {"where": {"and": [{"trait": "order_count", "op": "gte", "value": 1}, {"has_identifier": "email"}]}}
)


def test_traits_segments_and_export(cli: CliRunner, graph: Graph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(150, 4, data)
    run(cli, "load", str(data), "--resolve", "--quarantine", str(tmp_path / "q.jsonl"))
    report = json.loads(run(cli, "traits", "refresh", "--all", "--json"))
    assert report["profiles"] > 0 and report["customers"] > 0
    assert "traits refreshed" in run(cli, "traits", "refresh")

    # The sample's custom attributes (built-in shop mapping) land and are usable in segments.
    big = json.dumps({"where": {"attribute": "household_size", "op": "gte", "value": 4}})
    gold = json.dumps({"where": {"attribute": "loyalty_tier", "op": "in", "value": ["gold", "platinum"]}})
    assert json.loads(run(cli, "segment", "preview", "-d", big))["size"] > 0
    assert json.loads(run(cli, "segment", "preview", "-d", gold))["size"] > 0
    preview = json.loads(run(cli, "segment", "preview", "-d", SEGMENT, "--sample", "3"))
    assert preview["size"] > 0 and len(preview["sample"]) == 3
    definition = tmp_path / "buyers.json"
    definition.write_text(SEGMENT, encoding="utf-8")
    assert f"{preview['size']:,} members" in run(cli, "segment", "create", "buyers", "-d", f"@{definition}")
    listed = [json.loads(line) for line in run(cli, "segment", "list").splitlines()]
    assert [(s["name"], s["size"]) for s in listed] == [("buyers", preview["size"])]

    out = tmp_path / "buyers.csv"
    fields = "profile_id,first_name,trait_order_count,trait_lifecycle"
    run(
        cli, "export", "segment", "buyers", "--format", "csv", "--fields", fields, "--out", str(out), "--reason", "test"
    )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == preview["size"] and all(int(r["trait_order_count"]) >= 1 for r in rows)
    audit = run(cli, "audit", "--action", "segment", "--json")
    assert '"segment.export"' in audit and '"people": ' + str(len(rows)) in audit.replace('\\"', '"')
    _parquet_matches_jsonl(cli, tmp_path)
    # Nobody consented to marketing by email in the sample: every email is on the suppression list.
    listed = tmp_path / "suppression.csv"
    run(cli, "export", "suppression", "--consent", "marketing:carrier-pigeon", "--format", "csv", "--out", str(listed))
    with listed.open(encoding="utf-8") as handle:
        suppressed = list(csv.DictReader(handle))
    assert suppressed and {r["reason"] for r in suppressed} == {"no_consent"}
    assert list(suppressed[0]) == ["reason", "kind", "hash"] and all(len(r["hash"]) == 64 for r in suppressed)
    lines = run(cli, "export", "suppression", "--plain", "--consent", "m:email").splitlines()
    plain = [json.loads(line) for line in lines]
    assert len(plain) >= len(suppressed) // 2 and all(r["value"] for r in plain)
    assert '"suppression.export"' in run(cli, "audit", "--action", "suppression", "--json")
    lines = run(cli, "export", "segment", "buyers", "--fields", "profile_id", "--consent", "marketing:carrier-pigeon")
    assert lines.strip() == ""  # nobody consented to that channel

    run(cli, "export", "segment", "buyers", "--fields", "password", code=2)
    run(cli, "export", "segment", "nobody", code=2)
    run(cli, "segment", "create", "bad", "-d", '{"where": {"trait": "pid) OR (true", "op": "eq", "value": 1}}', code=2)
    assert "members exited" in run(cli, "segment", "delete", "buyers")
    run(cli, "segment", "delete", "buyers", code=2)


def _parquet_matches_jsonl(cli: CliRunner, tmp_path: Path) -> None:
    """Every export field, as JSON lines and as Parquet: the same rows, in the same order, typed."""
    fields = ",".join(EXPORT_FIELDS)
    jsonl, parquet = tmp_path / "buyers.jsonl", tmp_path / "buyers.parquet"
    for fmt, path in (("jsonl", jsonl), ("parquet", parquet)):
        run(cli, "export", "segment", "buyers", "--format", fmt, "--fields", fields, "--out", str(path))
    expected = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    with duckdb.connect() as con:
        relation = con.read_parquet(str(parquet))
        types = dict(zip(relation.columns, [str(t) for t in relation.types], strict=True))
        columns = relation.columns
        got = [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]
    assert columns == list(EXPORT_FIELDS) and len(got) == len(expected) > 0
    assert types["trait_order_count"] == "BIGINT" and types["trait_clv"] == "DOUBLE"
    assert types["trait_last_seen"] == "TIMESTAMP WITH TIME ZONE" and types["email"] == "VARCHAR"
    assert not list(tmp_path.glob(".buyers.parquet.*"))  # the spool is gone
    for want, row in zip(expected, got, strict=True):
        for name, value in row.items():
            if hasattr(value, "isoformat") and want[name] is not None:
                assert value == datetime.fromisoformat(want[name]), name
            elif isinstance(value, float):
                assert value == pytest.approx(want[name]), name
            else:
                assert value == want[name], name
    assert any(r["trait_last_seen"] is not None for r in got) and any(r["email"] for r in got)
    run(cli, "export", "segment", "buyers", "--format", "parquet", code=2)  # binary: a file, not stdout
