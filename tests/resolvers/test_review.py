"""The review queue and scored-link explanations over GraphQL (steward only)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import stats
from graph.connection import Graph
from graph.identity import resolve
from graph.identity.scoring import store
from resolvers.ids import encode
from tests.graph.identity.scoring_fixtures import RULES, SCORING, load_people
from tests.graph.identity.test_scoring import ANN, GREY, TYPO

MODEL = json.loads((Path(__file__).parent / "data" / "match_model.json").read_text(encoding="utf-8"))
QUEUE = """query($first: Int, $after: String) { reviewQueue(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { recordA { uid } recordB { uid } score { scored probability modelVersion
    waterfall { comparison level matchWeight } } } } } }"""
ACCEPT = "mutation($a: ID!, $b: ID!) { acceptMatch(recordA: $a, recordB: $b, reason: $r) { profileIds } }"
REJECT = "mutation($a: ID!, $b: ID!, $r: String) { rejectMatch(recordA: $a, recordB: $b, reason: $r) { profileIds } }"
EXPLAIN = """query($a: ID!, $b: ID!) { explainLink(recordA: $a, recordB: $b) { linked
  steps { kind score { probability matchWeight modelVersion waterfall { comparison level matchWeight } } } } }"""


@pytest.fixture
def scored(world: object, api_graph: Graph, tmp_path: Path) -> Iterator[str]:
    """The world plus a trained model and three people records; emptied afterwards (the next
    test rebuilds the world), so no other test sees the model."""
    assert SCORING is not None
    version = store.save(api_graph, SCORING, MODEL, 750)
    second = GREY | {"source_id": "c2", "first_name": "Jonathen", "email": "c2@x.org", "national_id": "333333333"}
    load_people(api_graph, tmp_path, [ANN, GREY, second])
    resolve(api_graph, RULES)
    yield version
    stats.reset(api_graph)


def _record(uid: str) -> str:
    return encode("SourceRecord", uid)


def test_review_queue_pages_accepts_and_rejects(scored: str, steward_api, app_api) -> None:
    assert app_api.errors(QUEUE, first=5)[0]["extensions"]["code"] == "FORBIDDEN"
    first = steward_api.data(QUEUE, first=1)["reviewQueue"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"]
    second = steward_api.data(QUEUE, first=1, after=first["pageInfo"]["endCursor"])["reviewQueue"]
    assert not second["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in first["edges"] + second["edges"]]
    pairs = {(n["recordA"]["uid"], n["recordB"]["uid"]) for n in nodes}
    assert pairs == {("people:a", "people:c"), ("people:a", "people:c2")}
    assert nodes[0]["score"]["probability"] >= nodes[1]["score"]["probability"]
    assert all(n["score"]["scored"] == "possible_match" and n["score"]["modelVersion"] == scored for n in nodes)
    assert [s["comparison"] for s in nodes[0]["score"]["waterfall"]][:2] == ["prior", "name"]
    a, c, c2 = _record("people:a"), _record("people:c"), _record("people:c2")
    assert app_api.errors(REJECT, a=a, b=c, r="no")[0]["extensions"]["code"] == "FORBIDDEN"
    accepted = steward_api.data(ACCEPT.replace("reason: $r", 'reason: "same person"'), a=a, b=c)["acceptMatch"]
    rejected = steward_api.data(REJECT, a=a, b=c2, r="different")["rejectMatch"]
    assert len(accepted["profileIds"]) == 1 and len(rejected["profileIds"]) == 2
    assert steward_api.data(QUEUE)["reviewQueue"]["totalCount"] == 0
    errors = steward_api.errors(REJECT, a=a, b=c2, r="again")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and "review queue" in errors[0]["message"]


def test_explain_link_shows_the_waterfall_of_a_scored_link(
    scored: str, steward_api, api_graph: Graph, tmp_path: Path
) -> None:
    load_people(api_graph, tmp_path, [TYPO | {"source_id": "b2", "street": "12 High Street"}], "b2")
    resolve(api_graph, RULES)
    result = steward_api.data(EXPLAIN, a=_record("people:a"), b=_record("people:b2"))["explainLink"]
    assert result["linked"]
    link = next(s for s in result["steps"] if s["kind"] == "SCORED_LINK")
    assert link["score"]["modelVersion"] == scored and link["score"]["probability"] > 0.99
    levels = {s["comparison"]: s["level"] for s in link["score"]["waterfall"]}
    assert levels["name"] == "both Jaro-Winkler >= 0.92" and levels["street"] == "exact"
