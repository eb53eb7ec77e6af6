"""`c360 traits refresh`, `c360 segment ...` and `c360 export segment` end to end."""

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from graph.connection import Graph
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
    lines = run(cli, "export", "segment", "buyers", "--fields", "profile_id", "--consent", "marketing:carrier-pigeon")
    assert lines.strip() == ""  # nobody consented to that channel

    run(cli, "export", "segment", "buyers", "--fields", "password", code=2)
    run(cli, "export", "segment", "nobody", code=2)
    run(cli, "segment", "create", "bad", "-d", '{"where": {"trait": "pid) OR (true", "op": "eq", "value": 1}}', code=2)
    assert "members exited" in run(cli, "segment", "delete", "buyers")
    run(cli, "segment", "delete", "buyers", code=2)
