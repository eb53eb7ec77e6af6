"""The CLI end to end against the real test server."""

import inspect
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360.cli import app
from c360.settings import Settings
from graph.connection import Graph
from loaders.sample import generate


@pytest.fixture
def cli(settings: Settings, graph: Graph) -> CliRunner:
    env = {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    return CliRunner(env=env)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_help_lists_the_commands(cli: CliRunner) -> None:
    output = run(cli, "--help")
    for command in ("neo4j", "schema", "generate", "load", "stats", "up", "resolve", "steward", "evaluate"):
        assert command in output


def test_generate_load_stats_resolve_evaluate(cli: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(cli, "generate", "--people", "150", "--seed", "5", "--out", str(data))
    quarantine = tmp_path / "q.jsonl"
    first = json.loads(run(cli, "load", str(data), "--json", "--quarantine", str(quarantine)).splitlines()[-1])
    files = [f for f in data.iterdir() if f.suffix in (".csv", ".jsonl") and f.name != "truth.csv"]
    rows = sum(_lines(f) - (f.suffix == ".csv") for f in files)
    assert first["rows_read"] == rows
    assert first["rows_loaded"] + first["rows_quarantined"] == rows
    assert first["rows_quarantined"] + first["fields_rejected"] == _lines(quarantine)
    assert first["fields_rejected"] > 0  # the generator's malformed emails: those records land without them
    counts = json.loads(run(cli, "stats", "--json"))
    assert counts["nodes"]["Customer"] >= _lines(data / "truth.csv") - 1
    assert set(counts) == {"nodes", "relationships"}
    again = json.loads(run(cli, "load", str(data), "--json", "--quarantine", str(quarantine)).splitlines()[-1])
    assert again["entities_written"] == {} or not any(again["entities_written"].values())
    assert json.loads(run(cli, "stats", "--json")) == counts
    report = json.loads(run(cli, "resolve", "--json"))
    assert report["clusters"] > 0 and report["written"] == report["clusters"]
    scores = json.loads(run(cli, "evaluate", "--truth", str(data / "truth.csv"), "--json"))
    assert scores["profiles"]["precision"] >= 0.99 and scores["profiles"]["recall"] >= 0.97
    assert set(scores["errors"]) == {"missed", "false_merges"}
    assert sum(scores["errors"]["missed"].values()) == (
        scores["profiles"]["true_pairs"] - scores["profiles"]["correct_pairs"]
    )
    out = tmp_path / "profiles.jsonl"
    run(cli, "export", "profiles", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == report["clusters"]
    assert set(lines[0]) == {"profile_id", "records", "household_id"}


def test_strict_and_bad_paths(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("source_id,email\n1,a@x.org\n,b@x.org\n2,not-an-email\n")
    output = run(
        cli, "load", str(bad), "--mapping", "customers", "--strict", "--quarantine", str(tmp_path / "q.jsonl"), code=1
    )
    assert "--strict" in output and "1 quarantined, 1 fields rejected" in output
    assert "no such file" in run(cli, "load", str(tmp_path / "missing.csv"), code=2)
    hopeless = tmp_path / "junk.csv"
    hopeless.write_text("source_id,email\n,x\n")
    run(cli, "load", str(hopeless), "--mapping", "customers", "--quarantine", str(tmp_path / "q2.jsonl"), code=1)
    assert "no mapping 'nope'" in run(cli, "load", str(bad), "--mapping", "nope", code=2)


def test_manifest_mistakes_are_clear_errors(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    # The hint names the manifest's table; printed as console markup, "[[files]]" vanished.
    assert "[[files]]" in run(cli, "load", str(folder), code=2)
    (folder / "manifest.toml").write_text('[[files]]\npath = "gone.csv"\nmapping = "customers"\n')
    assert "gone.csv: no such file" in run(cli, "load", str(folder), code=2)  # was a FileNotFoundError
    (folder / "manifest.toml").write_bytes(b'[[files]]\npath = "\xff.csv"\nmapping = "customers"\n')
    assert "manifest.toml" in run(cli, "load", str(folder), code=2)  # was a UnicodeDecodeError
    odd = tmp_path / "x[b]y"
    odd.mkdir()
    assert "x[b]y: no manifest.toml" in run(cli, "load", str(odd), code=2)
    people = tmp_path / "people.csv"
    people.write_text("source_id\n1\n")
    # A closing markup tag in a value given on the command line was a MarkupError traceback.
    assert "no mapping '[/]'" in run(cli, "load", str(people), "--mapping", "[/]", code=2)


def test_files_that_cannot_be_opened_are_clear_errors(cli: CliRunner, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    output = run(cli, "export", "profiles", "--out", str(gone / "p.jsonl"), code=1)  # was a FileNotFoundError
    assert output.startswith("error:") and "No such file or directory" in output
    output = run(cli, "evaluate", "--truth", str(gone / "truth.csv"), code=1)
    assert output.startswith("error:") and "truth.csv" in output
    wrong = tmp_path / "truth.csv"
    wrong.write_text("source;source_id;person_id\ncrm;1;p1\n")
    assert "no column" in run(cli, "evaluate", "--truth", str(wrong), code=2)  # was a KeyError


def test_steward_and_explain_commands(cli: CliRunner, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("source_id,email,phone\n1,a@x.org,\n2,a@x.org,+447911123456\n3,,+447911123456\n")
    run(
        cli,
        "load",
        str(people),
        "--mapping",
        "customers",
        "--source",
        "crm",
        "--resolve",
        "--quarantine",
        str(tmp_path / "q.jsonl"),
    )
    path = json.loads(run(cli, "explain", "crm:1", "crm:3"))
    assert [p["type"] for p in path].count("identifier") == 2
    assert "linked" in run(cli, "steward", "unlink", "crm:1", "crm:2", "--reason", "twins")
    run(cli, "explain", "crm:1", "crm:2", code=1)
    assert "no such record" in run(cli, "steward", "link", "crm:1", "crm:404", code=2)
    assert "held" not in run(cli, "steward", "held-out")


def test_schema_and_server_commands(cli: CliRunner, settings: Settings) -> None:
    run(cli, "schema", "apply")
    assert "applied" in run(cli, "schema", "apply")
    shown = run(cli, "schema", "show")
    assert "customer_uid" in shown and "search_text" in shown
    if settings.managed:
        env = run(cli, "neo4j", "env")
        assert f"export NEO4J_URI=bolt://127.0.0.1:{settings.neo4j_bolt_port}" in env
        assert "NEO4J_PASSWORD=" in env
        assert "running" in run(cli, "neo4j", "status")


def test_invalid_configuration_is_a_clear_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["stats"], env={"C360_BATCH_SIZE": "lots"})
    assert result.exit_code == 2 and "invalid configuration" in result.output


def test_generate_is_deterministic(tmp_path: Path) -> None:
    generate(50, 1, tmp_path / "a")
    generate(50, 1, tmp_path / "b")
    assert (tmp_path / "a" / "crm_contacts.csv").read_bytes() == (tmp_path / "b" / "crm_contacts.csv").read_bytes()


def test_one_hostile_line_does_not_stop_a_load(cli: CliRunner, graph: Graph, tmp_path: Path) -> None:
    """Issue 12: good rows and one line of deep nesting (or a 5,000-digit number) used to stop the
    load after the first good row with exit 1."""
    good = [json.dumps({"source_id": f"H-{n}", "first_name": "Hal", "email": f"hal{n}@x.org"}) for n in range(4)]
    hostile = [
        '{"source_id": "H-9", "x": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"source_id": "H-8", "n": ' + "9" * 5000 + "}",
    ]
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join([good[0], hostile[0], good[1], hostile[1], good[2], good[3]]) + "\n", encoding="utf-8")
    quarantine = tmp_path / "q.jsonl"
    args = ["load", str(path), "--mapping", "customers", "--json", "--quarantine", str(quarantine)]
    summary = json.loads(run(cli, *args).splitlines()[-1])
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_quarantined"]) == (6, 4, 2)
    assert json.loads(run(cli, "stats", "--json"))["nodes"]["Customer"] == 4
    reasons = [json.loads(line)["reasons"] for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert "nested deeper than" in reasons[0][0] and "4300 digits" in reasons[1][0]
    assert quarantine.stat().st_mode & 0o777 == 0o600
    tight = CliRunner(env={**cli.env, "C360_MAX_LINE_BYTES": "2048"})  # type: ignore[dict-item]
    capped = json.loads(run(tight, *args).splitlines()[-1])
    assert (capped["rows_loaded"], capped["rows_quarantined"]) == (4, 2)
    last = json.loads(quarantine.read_text(encoding="utf-8").splitlines()[-1])
    assert last["reasons"] == ["line longer than 2048 bytes (C360_MAX_LINE_BYTES)"]


def test_check_reports_pending_work_until_resolved(cli: CliRunner, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("source_id,email\n1,a@x.org\n2,a@x.org\n3,b@x.org\n")
    run(
        cli, "load", str(people), "--mapping", "customers", "--source", "chk", "--quarantine", str(tmp_path / "q.jsonl")
    )
    found = json.loads(run(cli, "check", "--json", code=1))
    assert not found["ok"]
    assert {"chk:1", "chk:2", "chk:3"} <= set(found["violations"]["pending"])
    assert "c360 resolve" in run(cli, "check", "--no-partition", code=1)
    run(cli, "resolve")
    healthy = json.loads(run(cli, "check", "--json"))
    assert healthy["ok"] and not any(healthy["violations"].values())
    assert "all invariants hold" in run(cli, "check")


def test_resolve_engine_spark_is_for_full_rebuilds(cli: CliRunner) -> None:
    assert "--engine" in run(cli, "resolve", "--help")
    assert "runs full rebuilds only" in run(cli, "resolve", "--engine", "spark", code=2)
    assert "unknown engine 'hadoop'" in run(cli, "resolve", "--full", "--engine", "hadoop", code=2)


def test_up_calls_each_command_with_a_value_for_every_option() -> None:
    # `c360 up` calls load, resolve and refresh as functions; an option it does not name must get
    # its default, not Typer's OptionInfo (which once broke `up` when resolve gained --engine).
    from typer.models import ArgumentInfo, OptionInfo

    from c360.cli import _up
    from c360.cli._analytics import refresh_command
    from c360.cli._data import load_command
    from c360.cli._identity import resolve_command

    for command in (load_command, resolve_command, refresh_command):
        values = _up.arguments(command, ctx=None)
        assert set(values) == set(inspect.signature(command).parameters)
        assert not [k for k, v in values.items() if isinstance(v, OptionInfo | ArgumentInfo)], command.__name__
    assert _up.arguments(resolve_command, ctx=None)["engine"] == "local"


def test_the_neo4j_jars_copied_in_need_no_maven(settings: Settings, tmp_path: Path) -> None:
    """A server without internet access: the jars copied into the cache directory are enough;
    without them, `install --check` says so (exit 1) and `install` names the missing Maven."""
    if not settings.managed:
        pytest.skip("NEO4J_URI is set: c360 manages no server here")  # pragma: no cover
    from c360.runtime import managed_server

    real = managed_server(settings)
    assert real.installed  # the session's server runs from them
    lib = next(Path(real.cache or real.root).glob(f"lib-{real.version}"))
    copied = tmp_path / "cache"
    copied.mkdir()
    (copied / lib.name).symlink_to(lib)
    bin_dir = tmp_path / "bin"  # a PATH without mvn
    bin_dir.mkdir()
    base = {"C360_HOME": str(tmp_path / "home"), "PATH": str(bin_dir)}
    runner = CliRunner(env=base | {"C360_CACHE_DIR": str(copied)})
    assert run(runner, "neo4j", "install", "--check").strip().endswith("installed")
    assert str(copied) in run(runner, "neo4j", "install")  # found, Maven never called
    empty = CliRunner(env=base | {"C360_CACHE_DIR": str(tmp_path / "empty")})
    assert "not installed" in run(empty, "neo4j", "install", "--check", code=1)
    assert "Maven (mvn) is not on PATH" in run(empty, "neo4j", "install", code=2)
