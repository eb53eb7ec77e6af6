"""`c360 subject|audit|retention|consent|restrict` end to end against the real test server."""

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360.cli import app
from c360.settings import Settings
from graph.connection import Graph

PEOPLE = [
    {
        "source_id": "Z-1",
        "first_name": "Zenobia",
        "last_name": "Quarrington",
        "email": "zenobia@example.org",
        "phone": "07911 123457",
    },
    {"source_id": "Z-2", "first_name": "Zenobia", "last_name": "Quarrington", "email": "Zenobia@Example.org"},
    {"source_id": "Y-1", "first_name": "Yorick", "last_name": "Bell", "email": "yorick@example.org"},
]
ORDERS = [
    {"order_id": "O-1", "customer_id": "Z-1", "ordered_at": "2020-01-01T00:00:00Z", "total": "5", "currency": "EUR"},
    {"order_id": "O-2", "customer_id": "Y-1", "ordered_at": "2020-01-02T00:00:00Z", "total": "7", "currency": "EUR"},
]


@pytest.fixture
def cli(settings: Settings, graph: Graph) -> CliRunner:
    env = {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        "C360_RETENTION_DAYS": '{"shop": 365}',
    }
    return CliRunner(env=env)


def run(cli: CliRunner, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = cli.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, result.output
    return result.output


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _pid(graph: Graph, uid: str) -> str:
    return str(graph.read("profile_of_records", uids=[uid])[0]["pid"])


def test_privacy_commands_end_to_end(cli: CliRunner, graph: Graph, tmp_path: Path) -> None:
    assert "subject" in run(cli, "--help") and "retention" in run(cli, "--help")
    run(cli, "load", str(_csv(tmp_path / "people.csv", PEOPLE)), "--mapping", "customers", "--source", "crm")
    run(cli, "load", str(_csv(tmp_path / "orders.csv", ORDERS)), "--mapping", "shop_orders", "--source", "crm")
    run(cli, "resolve")
    zen, yor = _pid(graph, "crm:Z-1"), _pid(graph, "crm:Y-1")

    run(cli, "consent", "set", zen, "marketing", "email", "granted", "--evidence", "web form")
    shown = json.loads(run(cli, "consent", "show", zen))
    assert [(s["purpose"], s["channel"], s["status"]) for s in shown] == [("marketing", "email", "granted")]
    assert "restricted" in run(cli, "restrict", yor, "--reason", "objection")
    assert "lifted" in run(cli, "restrict", yor, "--off")

    out_file = tmp_path / "export.json"
    run(cli, "subject", "export", "--identifier", "email:ZENOBIA@example.org", "--out", str(out_file))
    document = json.loads(out_file.read_text(encoding="utf-8"))
    assert sorted(r["uid"] for r in document["records"]) == ["crm:Z-1", "crm:Z-2"]
    assert json.loads(run(cli, "subject", "export", "-i", "phone:07911 123457"))["profiles"][0]["profile_id"] == zen

    assert "would remove 2 touchpoints" in run(cli, "retention", "apply", "--dry-run")

    run(cli, "subject", "erase", "--identifier", "email:zenobia@example.org", stdin="n\n", code=1)
    report = json.loads(
        run(cli, "subject", "erase", "-i", "email:zenobia@example.org", "--yes", "--reason", "request 42").splitlines()[
            -1
        ]
    )
    assert report["records"] == 2 and report["profiles"] == 1 and report["touchpoints"] == 1
    run(cli, "subject", "export", "-i", "email:zenobia@example.org", code=1)
    reloaded = json.loads(
        run(
            cli, "load", str(tmp_path / "people.csv"), "--mapping", "customers", "--source", "crm", "--json"
        ).splitlines()[-1]
    )
    assert reloaded["rows_suppressed"] == 2 and reloaded["rows_loaded"] == len(PEOPLE) - 2
    run(cli, "resolve")
    run(cli, "subject", "export", "-i", "email:zenobia@example.org", code=1)

    assert "removed 1 touchpoints" in run(cli, "retention", "apply")
    lines = [json.loads(line) for line in run(cli, "audit", "--json").splitlines()]
    assert [e["action"] for e in lines] == [
        "consent.set",
        "restriction.set",
        "restriction.clear",
        "subject.export",
        "subject.export",
        "subject.erase",
        "retention.apply",
    ]
    assert "zenobia" not in json.dumps(lines).casefold()
    about_her = [e for e in lines if e["action"].startswith(("consent", "subject"))]
    assert all(target.startswith("erased:") for e in about_her for target in e["target"])
    audit_file = tmp_path / "audit.jsonl"
    assert "wrote 1 audit entries" in run(cli, "audit", "--action", "subject.erase", "--out", str(audit_file))
    assert json.loads(audit_file.read_text(encoding="utf-8"))["reason"] == "request 42"
    human = run(cli, "audit", "--since", "1h", "--actor", lines[0]["actor"])
    assert "subject.erase" in human and "request 42" in human
    assert run(cli, "audit", "--since", "2999-01-01") == ""


def test_privacy_command_errors(cli: CliRunner, tmp_path: Path) -> None:
    assert "expected KIND:VALUE" in run(cli, "subject", "export", "-i", "zenobia", code=1)
    assert "no such profile" in run(cli, "restrict", "P-missing", code=2)
    assert "no such profile" in run(cli, "consent", "set", "P-missing", "marketing", "email", "granted", code=2)
    assert "--since" in run(cli, "audit", "--since", "yesterday-ish", code=2)
    no_retention = CliRunner(env={**cli.env, "C360_RETENTION_DAYS": "{}"})  # type: ignore[dict-item]
    assert "no retention configured" in run(no_retention, "retention", "apply", code=2)


def test_erasure_reaches_the_quarantine(settings: Settings, graph: Graph, tmp_path: Path) -> None:
    """Rows quarantined for a person do not outlive their erasure, and do not come back later."""
    home = tmp_path / "home"  # its own C360_HOME (and quarantine), on the test server
    password = (settings.home / "neo4j" / "password").read_text(encoding="utf-8").strip()
    cli = CliRunner(
        env={
            "C360_HOME": str(home),
            "NEO4J_URI": f"bolt://127.0.0.1:{settings.neo4j_bolt_port}",
            "NEO4J_PASSWORD": password,
        }
    )
    bad_zen = {"source_id": "Z-3", "first_name": "Zenobia", "email": " ZENOBIA@example.org", "birth_date": "01/02/1980"}
    bad_other = {"source_id": "Y-2", "first_name": "Yorick", "email": "yorick@example.org", "birth_date": "03/04/1990"}
    people = _csv(tmp_path / "people.csv", [{"birth_date": ""} | row for row in PEOPLE] + [bad_zen, bad_other])
    loaded = json.loads(run(cli, "load", str(people), "-m", "customers", "--source", "crm", "--json").splitlines()[-1])
    # Ambiguous dates cost the value, not the record: both land, the dates are quarantined.
    assert (loaded["rows_quarantined"], loaded["fields_rejected"]) == (0, 2)
    [quarantine] = (home / "quarantine").iterdir()
    assert quarantine.stat().st_mode & 0o777 == 0o600 and quarantine.parent.stat().st_mode & 0o777 == 0o700
    assert "zenobia@example.org" in quarantine.read_text(encoding="utf-8").casefold()
    report = json.loads(run(cli, "subject", "erase", "-i", "email:zenobia@example.org", "--yes").splitlines()[-1])
    assert report["records"] == 3 and report["quarantine_entries_removed"] == 1
    text = quarantine.read_text(encoding="utf-8")
    assert "zenobia" not in text.casefold() and "07911 123457" not in text and "Z-3" not in text
    assert [json.loads(line)["raw"]["source_id"] for line in text.splitlines()] == ["Y-2"]
    # A reload skips her rows, the bad one included: nothing of hers is quarantined again.
    again = json.loads(run(cli, "load", str(people), "-m", "customers", "--source", "crm", "--json").splitlines()[-1])
    assert (again["rows_suppressed"], again["rows_quarantined"], again["fields_rejected"]) == (3, 0, 1)
    assert not any("zenobia" in path.read_text(encoding="utf-8").casefold() for path in quarantine.parent.iterdir())
