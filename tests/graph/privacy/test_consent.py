"""Consent: loaded through a mapping or set by stewards; the latest statement per purpose and
channel wins; contact selection leaves out withdrawn, denied, silent and restricted people."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from graph.connection import Graph
from graph.identity import load_rules, resolve, steward
from graph.privacy import PrivacyError, audit, consent, restriction
from tests.graph.privacy.conftest import Loader, World, profile_of


def _at(day: int) -> datetime:
    return datetime(2024, 6, day, tzinfo=UTC)


def test_loaded_consent_is_on_the_profile(graph: Graph, world: World) -> None:
    [statement] = consent.for_profiles(graph, [world.ann])[world.ann]
    assert (statement.purpose, statement.channel, statement.status) == ("marketing", "email", "granted")
    assert statement.source == "crm" and statement.evidence == "signup form"
    assert consent.allowed(graph, [world.ann, world.bob, world.carl], "Marketing", "EMAIL") == {world.ann}


def test_the_latest_statement_wins_and_withdrawn_people_are_excluded(graph: Graph, world: World) -> None:
    consent.set(graph, world.bob, "marketing", "email", "granted", by="steward:sam", at=_at(1))
    consent.set(
        graph,
        world.ann,
        "marketing",
        "email",
        "withdrawn",
        by="steward:sam",
        at=_at(2),
        evidence="call 4711",
        reason="customer call",
    )
    # An older statement recorded later does not override a newer one.
    consent.set(graph, world.ann, "marketing", "email", "granted", by="steward:sam", at=_at(1))
    consent.set(graph, world.ann, "analytics", "web", "granted", by="steward:sam", at=_at(1))
    pids = [world.ann, world.bob, world.carl]
    assert consent.allowed(graph, pids, "marketing", "email") == {world.bob}
    assert consent.allowed(graph, pids, "analytics", "web") == {world.ann}
    effective = {(s.purpose, s.channel): s.status for s in consent.for_profiles(graph, pids)[world.ann]}
    assert effective == {("analytics", "web"): "granted", ("marketing", "email"): "withdrawn"}
    assert len(consent.statements(graph, [world.ann])[world.ann]) == 4
    entries = audit.query(graph, action="consent.set", subjects=[world.ann])
    assert len(entries) == 3 and entries[0]["details"]["status"] == "withdrawn"


def test_a_later_loaded_statement_overrides_a_steward_one(graph: Graph, world: World, load_rows: Loader) -> None:
    consent.set(graph, world.ann, "marketing", "email", "denied", by="steward:sam", at=_at(1))
    assert consent.allowed(graph, [world.ann], "marketing", "email") == set()
    load_rows(
        [
            {
                "consent_id": "K-ANN-2",
                "customer_id": "ANN-1",
                "purpose": "marketing",
                "channel": "email",
                "status": "Granted",
                "at": "2024-07-01T00:00:00Z",
            }
        ],
        mapping="consents",
        source=None,
    )
    assert consent.allowed(graph, [world.ann], "marketing", "email") == {world.ann}


def test_restricted_profiles_are_never_selected_for_contact(graph: Graph, world: World) -> None:
    restriction.restrict(graph, world.ann, by="admin:erin", reason="objection")
    assert consent.allowed(graph, [world.ann], "marketing", "email") == set()
    restriction.unrestrict(graph, world.ann, by="admin:erin")
    assert consent.allowed(graph, [world.ann], "marketing", "email") == {world.ann}


def test_a_steward_statement_follows_its_profile_through_a_merge(graph: Graph, world: World) -> None:
    consent.set(graph, world.carl, "marketing", "sms", "granted", by="steward:sam", at=_at(3))
    steward.link(graph, "crm:CARL-1", "crm:BOB-1", by="steward:sam", rules=load_rules())
    merged = profile_of(graph, "crm:CARL-1")
    assert consent.allowed(graph, [merged], "marketing", "sms") == {merged}


def test_bad_statements_are_refused(graph: Graph, world: World) -> None:
    with pytest.raises(PrivacyError, match="unknown consent status"):
        consent.set(graph, world.ann, "marketing", "email", "maybe", by="steward:sam")
    with pytest.raises(PrivacyError, match="no such profile"):
        consent.set(graph, "P-nope", "marketing", "email", "granted", by="steward:sam")
    with pytest.raises(PrivacyError, match="must not be empty"):
        consent.set(graph, world.ann, " ", "email", "granted", by="steward:sam")


def test_statements_set_while_merges_retire_their_profile_all_land(graph: Graph, load_rows: Loader) -> None:
    # The profile is looked up and written under the identity lock: a statement set on a profile
    # that a concurrent merge is retiring lands on the survivor, never on nothing.
    pairs = 12
    rows = [{"source_id": f"RX-{i}", "email": f"rx{i}@example.org"} for i in range(pairs)]
    rows += [{"source_id": f"RY-{i}", "email": f"ry{i}@example.org"} for i in range(pairs)]
    load_rows(rows)
    rules = load_rules()
    resolve(graph, rules)
    targets = [profile_of(graph, f"crm:RY-{i}") for i in range(pairs)]
    start = threading.Barrier(2)
    uids: list[str] = []

    def merge() -> None:
        start.wait()
        for i in range(pairs):
            steward.link(graph, f"crm:RX-{i}", f"crm:RY-{i}", by="steward:sam", rules=rules)

    def state() -> None:
        start.wait()
        for pid in targets:
            uids.append(consent.set(graph, pid, "marketing", "post", "granted", by="steward:sam"))

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(merge), pool.submit(state)]:
            done.result()
    for i, uid in enumerate(uids):
        live = profile_of(graph, f"crm:RY-{i}")
        assert live == profile_of(graph, f"crm:RX-{i}")
        assert uid in {s.uid for s in consent.statements(graph, [live])[live]}, f"statement {i} was lost"


@pytest.mark.parametrize("bad", ["marketing", ":email", "marketing:", " : ", ""])
def test_a_purpose_channel_pair_needs_both_halves(bad: str) -> None:
    with pytest.raises(ValueError, match="PURPOSE:CHANNEL"):
        consent.pair(bad)


def test_a_purpose_channel_pair_is_normalized() -> None:
    assert consent.pair(" Marketing : EMAIL ") == ("marketing", "email")
    assert consent.pair("a:b:c") == ("a", "b:c")
    assert consent.pair(None) is None
