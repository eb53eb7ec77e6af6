"""The outbox: events in the same transaction as the change, positions gap-free in commit order."""

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from graph.changes import events as ev
from graph.changes import outbox, segments
from graph.connection import Graph, TxGraph
from graph.identity import load_rules, resolve
from graph.identity.resolve import resolve_batch
from graph.privacy import consent, erasure, restriction, subject
from tests.graph.identity.conftest import Loader, profile_of


def _all(graph: Graph) -> list[dict[str, object]]:
    return outbox.page(graph, 0, 10_000)


def test_resolution_records_created_merged_golden_and_household_events(graph: Graph, load_csv: Loader) -> None:
    rules = load_rules()
    load_csv([{"source_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    load_csv([{"source_id": "B", "first_name": "Bea", "phone": "07911 123456"}])
    resolve(graph, rules)
    # Resolution's own events first; the trait refresh right after it adds each new profile's
    # first lifecycle stage in its own transaction.
    everything = _all(graph)
    created = [e for e in everything if e["type"] != ev.LIFECYCLE_CHANGED]
    assert sorted(e["type"] for e in created) == [ev.PROFILE_CREATED] * 2
    assert [e["position"] for e in created] == [1, 2]
    assert [e["position"] for e in everything] == list(range(1, 1 + len(everything)))
    a, b = profile_of(graph, "crm:A"), profile_of(graph, "crm:B")
    assert {e["profile_id"] for e in created} == {a, b}

    # A third record carries both identifiers: the two profiles merge, the survivor's golden
    # values change (phone and more), and nothing of the values is in the event.
    load_csv([{"source_id": "C", "first_name": "Ann", "email": "ann@x.org", "phone": "07911 123456"}])
    resolve(graph, rules)
    later = outbox.page(graph, 2, 100)
    survivor = profile_of(graph, "crm:C")
    retired = ({a, b} - {survivor}).pop()
    merged = [e for e in later if e["type"] == ev.PROFILE_MERGED]
    assert len(merged) == 1 and merged[0]["profile_ids"] == [survivor, retired]
    assert json.loads(str(merged[0]["data"])) == {"surviving": survivor, "retired": [retired]}
    golden = [e for e in later if e["type"] == ev.GOLDEN_CHANGED]
    assert len(golden) == 1 and golden[0]["profile_id"] == survivor
    changed = golden[0]["fields"]
    assert isinstance(changed, list) and ({"phone", "email"} & set(changed))
    assert "07911" not in json.dumps(later, default=str) and "ann@x.org" not in json.dumps(later, default=str)
    assert [e["position"] for e in later] == list(range(3, 3 + len(later)))

    # The same resolution again changes nothing and records nothing.
    resolve(graph, rules, full=True)
    assert outbox.head(graph) == 2 + len(later)


def test_privacy_operations_record_events(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    pid = profile_of(graph, "crm:A")
    start = outbox.head(graph)
    consent.set(graph, pid, "marketing", "email", "granted", by="test")
    restriction.restrict(graph, pid, by="test")
    restriction.unrestrict(graph, pid, by="test")
    got = outbox.page(graph, start, 10)
    assert [e["type"] for e in got] == [ev.CONSENT_CHANGED, ev.RESTRICTION_SET, ev.RESTRICTION_LIFTED]
    assert json.loads(str(got[0]["data"])) == {"purpose": "marketing", "channel": "email", "status": "granted"}
    assert all(e["profile_id"] == pid for e in got)


def test_concurrent_writers_get_gap_free_positions_in_commit_order(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": f"P{i}", "email": f"p{i}@x.org"} for i in range(8)])
    resolve(graph, load_rules())
    pids = [profile_of(graph, f"crm:P{i}") for i in range(8)]
    start = outbox.head(graph)
    per_thread = 15
    errors: list[BaseException] = []

    def writer(pid: str) -> None:
        try:
            for i in range(per_thread):
                consent.set(graph, pid, "marketing", "email", "granted" if i % 2 else "denied", by="t")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(pid,)) for pid in pids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    got = outbox.page(graph, start, 10_000)
    assert [e["position"] for e in got] == list(range(start + 1, start + 1 + 8 * per_thread))
    # Per profile, the events come in the order that profile's writer made them.
    for pid in pids:
        statuses = [json.loads(str(e["data"]))["status"] for e in got if e["profile_id"] == pid]
        assert statuses == ["denied", "granted"] * (per_thread // 2) + ["denied"]
    assert outbox.head(graph) == start + 8 * per_thread


def test_prune_removes_old_events_and_positions_keep_increasing(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": "A", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    head = outbox.head(graph)
    assert outbox.prune(graph, 30) == 0
    assert outbox.prune(graph, 30, now=datetime.now(UTC) + timedelta(days=31)) == head
    assert _all(graph) == []
    consent.set(graph, profile_of(graph, "crm:A"), "marketing", "sms", "granted", by="t")
    assert [e["position"] for e in _all(graph)] == [head + 1]


def test_households_and_erasure_record_events_without_personal_data(graph: Graph, load_csv: Loader) -> None:
    home = {"street": "7 Quillon Lane", "city": "Leeds", "postcode": "LS1 4AB", "country": "GB"}
    load_csv([{"source_id": "A", "first_name": "Ann", "last_name": "Zeb", "email": "ann@x.org"} | home])
    load_csv([{"source_id": "B", "first_name": "Bob", "last_name": "Zeb", "email": "bob@x.org"} | home])
    resolve(graph, load_rules())
    a, b = profile_of(graph, "crm:A"), profile_of(graph, "crm:B")
    moved = [e for e in _all(graph) if e["type"] == ev.HOUSEHOLD_CHANGED]
    assert {e["profile_id"] for e in moved} == {a, b}
    households = {json.loads(str(e["data"]))["household_id"] for e in moved}
    assert len(households) == 1 and None not in households
    start = outbox.head(graph)
    erasure.erase(graph, subject.find(graph, "email:ann@x.org"), secret=b"k" * 16, rules=load_rules(), actor="t")
    after = outbox.page(graph, start, 100)
    erased = [e for e in after if e["type"] == ev.ERASED]
    assert len(erased) == 1 and erased[0]["profile_ids"] == [a] and json.loads(str(erased[0]["data"])) == {}
    assert all(a not in e["profile_ids"] for e in after if e["type"] != ev.ERASED)
    text = json.dumps(_all(graph), default=str)
    for personal in ("ann@x.org", "Ann", "Quillon", "crm:A"):
        assert personal not in text


def test_erasure_tells_the_members_left_behind_in_the_same_transaction(graph: Graph, load_csv: Loader) -> None:
    home = {"street": "7 Quillon Lane", "city": "Leeds", "postcode": "LS1 4AB", "country": "GB"}
    for uid, name in (("A", "Ann"), ("B", "Bob"), ("C", "Cy")):
        load_csv([{"source_id": uid, "first_name": name, "last_name": "Zeb", "email": f"{name}@x.org"} | home])
    resolve(graph, load_rules())
    a, b, c = (profile_of(graph, f"crm:{uid}") for uid in "ABC")
    hid = json.loads(str([e for e in _all(graph) if e["type"] == ev.HOUSEHOLD_CHANGED][-1]["data"]))["household_id"]
    start = outbox.head(graph)
    erasure.erase(graph, subject.find(graph, "email:ann@x.org"), secret=b"k" * 16, rules=load_rules(), actor="t")
    after = outbox.page(graph, start, 100)
    # The erasure's own transaction: its notice, then one event per member still in the household
    # (Bob and Cy keep it, one member fewer). The resolution that follows moves nobody.
    assert [e["type"] for e in after[:3]] == [ev.ERASED, ev.HOUSEHOLD_CHANGED, ev.HOUSEHOLD_CHANGED]
    assert [e["position"] for e in after[:3]] == [start + 1, start + 2, start + 3]
    left = after[1:3]
    assert sorted(e["profile_id"] for e in left) == sorted([b, c]) and a not in str(left)
    assert all(json.loads(str(e["data"])) == {"household_id": hid, "previous": hid} for e in left)


class _Abort(Exception):
    """Raised inside a micro-batch's transaction to roll it back."""


def test_a_micro_batch_commits_its_events_with_it_or_not_at_all(graph: Graph, load_csv: Loader) -> None:
    """Resolution's events are statements of the micro-batch's one transaction: visible inside it,
    gone with it when it rolls back, there when it commits."""
    rules = load_rules()
    load_csv([{"source_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    start = outbox.head(graph)

    def batch_then_fail(tx: TxGraph) -> None:
        report = resolve_batch(tx, rules)
        assert report.claimed == 1
        inside = outbox.page(tx, start, 10)
        assert [e["type"] for e in inside] == [ev.PROFILE_CREATED] and inside[0]["position"] == start + 1
        raise _Abort

    with pytest.raises(_Abort):
        graph.atomic(batch_then_fail)
    assert outbox.head(graph) == start and outbox.page(graph, start, 10) == []
    assert graph.read("identity_pending_stats")[0]["pending"] == 1  # the record waits, unresolved

    resolve_batch(graph, rules)
    got = outbox.page(graph, start, 10)
    assert [(e["type"], e["position"]) for e in got] == [(ev.PROFILE_CREATED, start + 1)]
    assert got[0]["profile_id"] == profile_of(graph, "crm:A")


def test_segment_and_lifecycle_hook_records_ids_and_names_only(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": f"S{i}", "email": f"s{i}@x.org"} for i in range(3)])
    resolve(graph, load_rules())
    a, b, c = (profile_of(graph, f"crm:S{i}") for i in range(3))
    start = outbox.head(graph)
    changes = segments.membership("at-risk", entered=[b, a, a], exited=[c])
    changes += segments.lifecycle({a: ("active", "lapsing"), b: ("new", "new"), c: (None, "active")})
    graph.write_many(outbox.enclose([], changes, datetime.now(UTC)))
    got = [(e["type"], e["profile_id"], json.loads(str(e["data"]))) for e in outbox.page(graph, start, 10)]
    # Entered, exited, then stage moves, each in profile-id order; a stage that did not move is no event.
    assert got == [
        *[(ev.SEGMENT_ENTERED, pid, {"segment": "at-risk"}) for pid in sorted([a, b])],
        (ev.SEGMENT_EXITED, c, {"segment": "at-risk"}),
        *sorted(
            [
                (ev.LIFECYCLE_CHANGED, a, {"stage": "lapsing", "previous": "active"}),
                (ev.LIFECYCLE_CHANGED, c, {"stage": "active", "previous": None}),
            ],
            key=lambda e: e[1],
        ),
    ]
    assert segments.membership("x", [], []) == [] and segments.lifecycle({a: ("new", "new")}) == []
