"""Probabilistic matching against the real Neo4j: training, scored links, the review queue."""

import re
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from graph.identity import explain, resolve
from graph.identity.scoring import engine, review, score, store, waterfall
from graph.identity.scoring.table import frame
from graph.identity.scoring.train import TrainError, train, train_if_needed
from graph.identity.steward import StewardError
from tests.graph.identity.conftest import partition, profile_of
from tests.graph.identity.scoring_fixtures import RULES, SCORING, TRAINING, corrupted, load_people, probability, trained

# Jonathan and Jonathon: no deterministic rule links them (different emails, no shared key).
ANN = {
    "source_id": "a",
    "first_name": "Jonathan",
    "last_name": "Smith",
    "birth_date": "1980-02-03",
    "postcode": "LS1 1AA",
    "street": "12 High Street",
    "email": "a@x.org",
    "national_id": "111111111",
}
TYPO = {
    "source_id": "b",
    "first_name": "Jonathon",
    "last_name": "Smith",
    "birth_date": "1980-02-03",
    "postcode": "LS1 1AA",
    "email": "b@x.org",
}
# The same weak agreements, but a different street and national id: the grey zone.
GREY = TYPO | {"source_id": "c", "street": "9 Other Road", "email": "c@x.org", "national_id": "222222222"}


@pytest.fixture(scope="module")
def model(session_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from graph import stats

    stats.reset(session_graph)
    return trained(session_graph, tmp_path_factory.mktemp("training"))


@pytest.fixture
def with_model(graph: Graph, model: dict[str, Any]) -> str:
    assert SCORING is not None
    return store.save(graph, SCORING, model, 750)


def test_training_stores_a_versioned_model(graph: Graph, tmp_path: Path, model: dict[str, Any]) -> None:
    with pytest.raises(TrainError):
        train(graph, TRAINING)  # an empty graph has nothing to learn from
    load_people(graph, tmp_path, corrupted(120, seed=5))
    first = train(graph, TRAINING)
    assert re.fullmatch(r"match-\d{8}T\d{6}-[0-9a-f]{8}", first.version)
    second = train(graph, TRAINING.model_copy(update={"seed": 2}))
    active = store.active(graph)
    assert active is not None and active.version == second.version != first.version
    assert set(store.models(graph, [first.version, second.version])) == {first.version, second.version}
    levels = [
        lv for c in active.settings["comparisons"] for lv in c["comparison_levels"] if not lv.get("is_null_level")
    ]
    assert all(lv["m_probability"] > 0 and lv["u_probability"] > 0 for lv in levels)
    # The shared model learned what typos are worth: weak agreements outweigh a misspelt name.
    assert probability(model, ANN, TYPO) > SCORING.link_threshold
    assert SCORING.review_threshold < probability(model, ANN, GREY) < SCORING.link_threshold


def test_weak_agreements_link_and_merge(graph: Graph, tmp_path: Path, with_model: str) -> None:
    load_people(graph, tmp_path, [ANN])
    resolve(graph, RULES)
    load_people(graph, tmp_path, [TYPO], "typo")
    report = resolve(graph, RULES)
    assert report.scoring["links"] == 1 and report.scoring["model_version"] == with_model
    assert profile_of(graph, "people:a") == profile_of(graph, "people:b")
    path = explain.link(graph, "people:a", "people:b", rules=RULES)
    assert [p["type"] for p in path] == ["record", "scored_link", "record"]
    scored = path[1]["score"]
    assert scored["model_version"] == with_model and scored["probability"] > 0.99
    steps = {s["comparison"]: s for s in scored["waterfall"]}
    assert list(steps) == ["prior", "name", "birth_date", "address", "national_id", "email"]
    assert steps["name"]["level"] == "both Jaro-Winkler >= 0.92" and steps["name"]["weight"] > 0
    assert steps["birth_date"]["level"] == "exact" and steps["national_id"]["level"] == "missing"
    assert steps["address"]["level"] == "one part missing, the other exact" and steps["address"]["weight"] > 0
    assert steps["prior"]["weight"] + sum(s["weight"] for s in scored["waterfall"][1:]) == pytest.approx(
        scored["weight"], abs=0.01
    )
    # Without scoring (or with scoring off) the pair stays apart: no deterministic rule links it.
    off = RULES.model_copy(update={"scoring": SCORING.model_copy(update={"enabled": False})})
    resolve(graph, off, full=True)
    assert profile_of(graph, "people:a") != profile_of(graph, "people:b")


def test_grey_zone_waits_for_a_steward_and_accept_merges(graph: Graph, tmp_path: Path, with_model: str) -> None:
    load_people(graph, tmp_path, [ANN, GREY])
    report = resolve(graph, RULES)
    assert report.scoring["reviews"] == 1 and report.scoring["links"] == 0
    assert profile_of(graph, "people:a") != profile_of(graph, "people:c")
    items = review.queue(graph)
    assert [(i.a, i.b, i.model_version) for i in items] == [("people:a", "people:c", with_model)]
    assert waterfall.pair(graph, "people:c", "people:a")["scored"] == "possible_match"  # type: ignore[index]
    with pytest.raises(StewardError, match="not in the review queue"):
        review.accept(graph, "people:a", "people:b-none", by="test", rules=RULES)
    review.accept(graph, "people:a", "people:c", by="test", reason="same phone call", rules=RULES)
    assert profile_of(graph, "people:a") == profile_of(graph, "people:c")
    assert review.queue(graph) == []
    score.score_all(graph, SCORING)
    resolve(graph, RULES, full=True)
    assert review.queue(graph) == [] and profile_of(graph, "people:a") == profile_of(graph, "people:c")


def test_reject_keeps_the_pair_apart_for_good(graph: Graph, tmp_path: Path, with_model: str) -> None:
    load_people(graph, tmp_path, [ANN, GREY])
    resolve(graph, RULES)
    review.reject(graph, "people:c", "people:a", by="test", reason="different people", rules=RULES)
    assert review.queue(graph) == []
    # Stronger evidence arrives later (a record bridging both) and everything is rebuilt.
    bridge = TYPO | {"source_id": "d", "email": "a@x.org", "national_id": "222222222"}
    load_people(graph, tmp_path, [bridge], "bridge")
    resolve(graph, RULES)
    score.score_all(graph, SCORING)
    resolve(graph, RULES, full=True)
    assert profile_of(graph, "people:a") != profile_of(graph, "people:c")
    assert review.queue(graph) == []


def test_incremental_scoring_equals_a_full_rescore(graph: Graph, tmp_path: Path, with_model: str) -> None:
    rows = corrupted(80, seed=9)
    load_people(graph, tmp_path, rows[: len(rows) // 2], "first")
    resolve(graph, RULES)
    load_people(graph, tmp_path, rows[len(rows) // 2 :] + [ANN, TYPO, GREY], "second")
    report = resolve(graph, RULES)
    assert report.scoring["pairs"] > 10
    incremental = [(r["a"], r["b"], r["type"], round(r["probability"], 9)) for r in graph.read("scoring_all_pairs")]
    clusters = partition(graph)
    full = score.score_all(graph, SCORING)
    assert full.pairs == len(incremental)
    assert [
        (r["a"], r["b"], r["type"], round(r["probability"], 9)) for r in graph.read("scoring_all_pairs")
    ] == incremental
    resolve(graph, RULES, full=True)
    assert partition(graph) == clusters


def test_no_model_or_a_stale_model_scores_nothing(graph: Graph, tmp_path: Path, model: dict[str, Any]) -> None:
    load_people(graph, tmp_path, [ANN, TYPO])
    assert resolve(graph, RULES).scoring["skipped"].startswith("no trained model")
    assert SCORING is not None
    store.save(graph, SCORING, model, 1)
    other = SCORING.model_copy(update={"max_block": 7})
    assert score.score_all(graph, other).skipped is not None
    assert score.score_all(graph, SCORING).links == 1


def test_replayed_predict_equals_splinks_own(model: dict[str, Any]) -> None:
    """Later predicts of a model replay the SQL Splink ran for the first: same pairs, same scores."""
    assert SCORING is not None
    rows = [
        {
            "uid": f"p:{i}",
            "attrs": {k: v for k, v in r.items() if v and k not in ("national_id", "email", "source_id")},
            "identifiers": {k: r[k] for k in ("national_id", "email") if r.get(k)},
        }
        for i, r in enumerate(corrupted(150, seed=21))
    ]
    first, second = frame(SCORING, rows[:200]), frame(SCORING, rows[200:])
    engine.predict(model, first, SCORING.review_threshold)  # Splink's run; its SQL is kept
    replayed = engine.predict(model, second, SCORING.review_threshold)
    bare = engine.splink_predict(model, second, SCORING.review_threshold)
    assert len(replayed) > 5
    expected = sorted(
        (*sorted((str(r.unique_id_l), str(r.unique_id_r))), round(float(r.match_probability), 9))
        for r in bare.itertuples(index=False)
    )
    assert [(p.a, p.b, round(p.probability, 9)) for p in replayed] == expected


def test_a_model_is_trained_when_none_fits_and_enough_records_exist(graph: Graph, tmp_path: Path) -> None:
    assert SCORING is not None
    rules = TRAINING.model_copy(update={"auto_train_records": 200})
    load_people(graph, tmp_path, corrupted(60, seed=4))  # about 150 records: too few
    assert train_if_needed(graph, rules) is None and store.active(graph) is None
    load_people(graph, tmp_path, corrupted(60, seed=6), "more")
    assert train_if_needed(graph, rules.model_copy(update={"auto_train_records": 0})) is None  # off
    report = train_if_needed(graph, rules)
    assert report is not None and report.records >= 200
    assert train_if_needed(graph, rules) is None  # the active model fits: nothing to do
    changed = rules.model_copy(update={"max_block": 50})  # the model no longer fits the rules
    again = train_if_needed(graph, changed)
    assert again is not None and again.version != report.version
