"""`c360 match train|score` and `c360 review list|accept|reject`: probabilistic matching."""

import getpass
import json

import typer

from c360.cli._app import connected, fail, out
from c360.cli._identity import rules_for
from graph.connection import Graph
from graph.identity import resolve
from graph.identity.rules import MatchRules
from graph.identity.scoring import review, score, waterfall
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.train import TrainError, train
from graph.identity.steward import StewardError

match_app = typer.Typer(help="Probabilistic matching: train the model, score candidate pairs.", no_args_is_help=True)
review_app = typer.Typer(help="Possible matches waiting for a steward.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(match_app, name="match")
    app.add_typer(review_app, name="review")


def _scoring(rules: MatchRules) -> ScoringRules:
    if rules.scoring_on is None:
        fail("scoring is off in the match rules ([scoring] enabled = false or missing)")
    return rules.scoring_on


@match_app.command("train")
def train_command(
    ctx: typer.Context,
    no_score: bool = typer.Option(False, "--no-score", help="Only train; do not re-score and resolve."),
) -> None:
    """Estimate the model from the records (u by random sampling, m by EM), store a new version."""
    rules = rules_for(ctx)
    scoring = _scoring(rules)
    with connected(ctx) as graph:
        try:
            with out.status("training ..."):
                report = train(graph, scoring)
        except TrainError as exc:
            fail(str(exc))
        out.print(f"model {report.version}: trained on {report.records} records in {report.seconds:.1f}s")
        if not no_score:
            _score_all(graph, rules, scoring)


def _score_all(graph: Graph, rules: MatchRules, scoring: ScoringRules) -> None:
    with out.status("scoring every candidate pair ..."):
        report = score.score_all(graph, scoring)
    if report.skipped:
        fail(report.skipped)
    out.print(
        f"scored {report.pairs} pairs of {report.records} records: {report.links} links, "
        f"{report.reviews} for review (model {report.model_version})",
        highlight=False,
    )
    with out.status("resolving ..."):
        resolved = resolve(graph, rules, full=True)
    out.print(f"resolved: {resolved.clusters} profiles, {resolved.merges} merges, {resolved.splits} splits")


@match_app.command("score")
def score_command(
    ctx: typer.Context,
    full: bool = typer.Option(False, "--full", help="Re-score every candidate pair (after changing thresholds)."),
) -> None:
    """Score candidate pairs. New records are scored by every `resolve`; --full re-scores everything."""
    rules = rules_for(ctx)
    scoring = _scoring(rules)
    if not full:
        fail("new records are scored by `c360 resolve`; use --full to re-score every pair")
    with connected(ctx) as graph:
        _score_all(graph, rules, scoring)


def _by() -> str:
    return f"cli:{getpass.getuser()}"


@review_app.command("list")
def list_command(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, max=review.MAX_PAGE),
    as_json: bool = typer.Option(False, "--json", help="One JSON object a line, with the waterfall."),
) -> None:
    """Open possible matches, most likely first."""
    with connected(ctx) as graph:
        items = review.queue(graph, first=limit)
        for item in items:
            if as_json:
                detail = waterfall.pair(graph, item.a, item.b)
                print(json.dumps({"a": item.a, "b": item.b, "probability": item.probability} | (detail or {})))
            else:
                out.print(f"{item.probability:.4f}  {item.a}  {item.b}  ({item.model_version})", highlight=False)
    if not items and not as_json:
        out.print("the review queue is empty")


def _decide(ctx: typer.Context, accept: bool, record_a: str, record_b: str, reason: str | None) -> list[str]:
    rules = rules_for(ctx)
    decide = review.accept if accept else review.reject
    with connected(ctx) as graph:
        try:
            return decide(graph, record_a, record_b, by=_by(), reason=reason, rules=rules)
        except StewardError as exc:
            fail(str(exc))


@review_app.command("accept")
def accept_command(
    ctx: typer.Context,
    record_a: str,
    record_b: str,
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
) -> None:
    """Same person: link the pair (a steward link)."""
    pids = _decide(ctx, True, record_a, record_b, reason)
    out.print(f"accepted: now profile {', '.join(pids)}")


@review_app.command("reject")
def reject_command(
    ctx: typer.Context,
    record_a: str,
    record_b: str,
    reason: str = typer.Option(None, "--reason", help="Why (kept in the history)."),
) -> None:
    """Not the same person: a cannot-link that holds through every re-score and rebuild."""
    pids = _decide(ctx, False, record_a, record_b, reason)
    out.print(f"rejected: profiles {', '.join(pids)}")
