"""`c360 match` and `c360 review` end to end against the real test server."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c360.cli import app
from c360.settings import Settings
from graph.connection import Graph
from graph.identity import rules as graph_rules
from tests.graph.identity.scoring_fixtures import MAPPING, corrupted, write_csv
from tests.graph.identity.test_scoring import ANN, GREY


@pytest.fixture
def cli(settings: Settings, graph: Graph) -> CliRunner:
    env = {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    return CliRunner(env=env)


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_train_score_review_explain(cli: CliRunner, tmp_path: Path) -> None:
    mapping = tmp_path / "people.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    data = write_csv(tmp_path / "people.csv", [*corrupted(300), ANN, GREY])
    # The rules of the scoring tests' model (fewer random pairs for u than the default: faster).
    rules = tmp_path / "rules.toml"
    text = (Path(graph_rules.__file__).parent / "default_rules.toml").read_text(encoding="utf-8")
    rules.write_text(text.replace("u_max_pairs = 1e6", "u_max_pairs = 2e5"), encoding="utf-8")
    cli.env = (cli.env or {}) | {"C360_RULES": str(rules)}
    run(cli, "load", str(data), "--mapping", str(mapping), "--resolve", "--quarantine", str(tmp_path / "q.jsonl"))
    assert "no trained model" in run(cli, "match", "score", "--full", code=2)
    output = run(cli, "match", "train")
    assert "model match-" in output and "links" in output and "resolved" in output
    queue = [json.loads(line) for line in run(cli, "review", "list", "--json").splitlines()]
    pair = next(item for item in queue if {item["a"], item["b"]} == {"people:a", "people:c"})
    assert pair["scored"] == "possible_match" and pair["model_version"].startswith("match-")
    assert [step["comparison"] for step in pair["waterfall"]][:2] == ["prior", "name"]
    explained = run(cli, "explain", "people:a", "people:c", code=1)
    assert '"waterfall"' in explained and "not in one profile" in explained
    assert "not in the review queue" in run(cli, "review", "accept", "people:a", "people:zz", code=2)
    assert "rejected" in run(cli, "review", "reject", "people:a", "people:c", "--reason", "different people")
    assert "people:c" not in run(cli, "review", "list")
    run(cli, "match", "score", "--full")
    assert "people:c" not in run(cli, "review", "list")
    assert "--full" in run(cli, "match", "score", code=2)


def test_default_rules_on_a_new_high_noise_file(cli: CliRunner, tmp_path: Path) -> None:
    """What a new user gets: generate a hard file, load it, `c360 resolve` with the built-in
    rules (which trains the scoring model itself, there being none), evaluate against the truth."""
    data = tmp_path / "hard"
    run(cli, "generate", "--people", "300", "--seed", "3", "--noise", "high", "--out", str(data))
    run(cli, "load", str(data), "--quarantine", str(tmp_path / "q.jsonl"))
    report = json.loads(run(cli, "resolve", "--json").splitlines()[-1])
    assert report["trained"] is not None and report["trained"]["links"] > 0
    assert report["mode"] == "full"  # a new model re-scored every pair
    truth = str(data / "truth.csv")
    scores = json.loads(run(cli, "evaluate", "--truth", truth, "--json"))["profiles"]
    # A model in place: the next resolve does not train again.
    assert json.loads(run(cli, "resolve", "--json").splitlines()[-1])["trained"] is None
    # The same data with scoring off: what the deterministic rules alone reach.
    off = tmp_path / "off.toml"
    text = (Path(graph_rules.__file__).parent / "default_rules.toml").read_text(encoding="utf-8")
    off.write_text(text.replace("[scoring]\nenabled = true", "[scoring]\nenabled = false"), encoding="utf-8")
    run(cli, "resolve", "--full", "--rules", str(off))
    alone = json.loads(run(cli, "evaluate", "--truth", truth, "--json"))["profiles"]
    assert scores["precision"] >= 0.99 and scores["f1"] >= 0.97, scores
    assert scores["recall"] >= alone["recall"] + 0.005, (scores, alone)
