from graph.identity.evaluate import errors, score
from graph.identity.evidence import Evidence, Record
from graph.identity.rules import load_rules


def test_pairwise_scores() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    perfect = score({"a": "x", "b": "x", "c": "x", "d": "y"}, truth)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    over = score({"a": "x", "b": "x", "c": "x", "d": "x"}, truth)
    assert over.precision == 0.5 and over.recall == 1.0
    under = score({"a": "x", "b": "x", "c": "z", "d": "y"}, truth)
    assert under.precision == 1.0 and round(under.recall, 4) == 0.3333
    assert score({"a": "x", "zz": "x"}, truth).records == 1


def _record(uid: str, ids: list[tuple[str, bool]], same: tuple[str, ...] = (), cannot: tuple[str, ...] = ()) -> Record:
    rows = [(key, key.split(":", 1)[0], 2, held) for key, held in ids]
    return Record(uid, "crm", "", False, None, {}, rows, list(same), list(cannot), [])


def test_errors_break_down_by_what_was_missing_and_what_merged() -> None:
    records = [
        _record("a1", [("email:a", False)]),
        _record("a2", [("email:a", False), ("phone:junk", True)]),
        _record("a3", [("phone:junk", True)]),  # only a held-out phone ties it to a2
        _record("a4", []),  # nothing shared at all
        _record("b1", [("email:a", False)]),  # another person on a's email: a false merge
        _record("c1", [("login:c", False)], cannot=("c2",)),
        _record("c2", [("login:c", False)], cannot=("c1",)),
    ]
    facts = Evidence(records, {r.uid: i for i, r in enumerate(records)})
    truth = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B", "c1": "C", "c2": "C"}
    predicted = {"a1": "P1", "a2": "P1", "b1": "P1", "a3": "P2", "a4": "P3", "c1": "P4", "c2": "P5"}
    found = errors(facts, load_rules(), predicted, truth)
    assert found["missed"] == {"identifier_held_out:phone": 1, "no_shared_identifier": 4, "cannot_link": 1}
    assert found["false_merges"] == {"email": 2}
