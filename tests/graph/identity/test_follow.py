"""The trait refresh after a micro-batch runs off the response path (graph/identity/follow.py):
an event is answered with its final profile while its traits are still due, the refresh catches
up in the background, and a failed refresh loses nothing (the marks stay in the graph)."""

import threading
from pathlib import Path

from graph.connection import Graph
from graph.identity import resolve
from graph.identity.batching import MicroBatcher
from graph.identity.follow import TraitFollower, _refresh
from loaders.engine import Engine
from tests.graph.identity.conftest import Loader, profile_of
from tests.graph.identity.test_write_path import RULES, assert_invariants, event, people


def _engine(tmp_path: Path, follower: TraitFollower) -> Engine:
    return Engine(
        rules=RULES, suppression_key=b"k" * 32, quarantine_dir=tmp_path, batcher=MicroBatcher(follower=follower)
    )


def _traits(graph: Graph, pid: str) -> tuple[bool | None, object]:
    row = graph.driver.execute_query(
        "MATCH (p:Profile {pid: $pid}) RETURN p.traits_pending AS due, p.trait_refreshed_at AS at",
        pid=pid,
        database_=graph.database,
    ).records[0]
    return row["due"], row["at"]


def test_an_event_is_answered_before_its_traits_and_they_follow(graph: Graph, load_csv: Loader, tmp_path: Path) -> None:
    load_csv(people(3))
    resolve(graph, RULES)
    release = threading.Event()
    seen: list[list[str]] = []

    def slow(g: Graph, pids: list[str]) -> int:
        seen.append(pids)
        assert release.wait(30)
        return _refresh(g, pids)

    follower = TraitFollower(refresh=slow)
    result = _engine(tmp_path, follower).ingest(graph, "customers", event(1, 0, 1))
    pid = result["profile_ids"][0]
    assert pid == profile_of(graph, "customers:ev1")  # final when answered
    assert _traits(graph, pid)[0] is True  # its traits are still due: the refresh has not run
    assert_invariants(graph)
    release.set()
    assert follower.settle(30)
    assert seen == [[pid]]
    due, refreshed_at = _traits(graph, pid)
    assert due is None and refreshed_at is not None
    assert follower.stats.runs == 1 and follower.stats.profiles == 1


def test_profiles_of_batches_that_finish_meanwhile_are_refreshed_together(
    graph: Graph, load_csv: Loader, tmp_path: Path
) -> None:
    load_csv(people(6))
    resolve(graph, RULES)
    release, started = threading.Event(), threading.Event()
    seen: list[list[str]] = []

    def slow(g: Graph, pids: list[str]) -> int:
        seen.append(pids)
        started.set()
        assert release.wait(30)
        return _refresh(g, pids)

    follower = TraitFollower(refresh=slow, linger=0.0)
    eng = _engine(tmp_path, follower)
    first = eng.ingest(graph, "customers", event(1, 0, 1))["profile_ids"]
    assert started.wait(30)
    later = [eng.ingest(graph, "customers", event(n, n, n))["profile_ids"][0] for n in (2, 3, 4)]
    release.set()
    assert follower.settle(30)
    # The first batch's refresh was running while three more batches finished: one more run for all three.
    assert seen == [first, sorted(later)]


def test_a_failed_refresh_fails_no_event_and_leaves_the_profile_due(
    graph: Graph, load_csv: Loader, tmp_path: Path
) -> None:
    load_csv(people(2))
    resolve(graph, RULES)

    def broken(g: Graph, pids: list[str]) -> int:
        raise RuntimeError("refresh failed")

    follower = TraitFollower(refresh=broken)
    result = _engine(tmp_path, follower).ingest(graph, "customers", event(1, 0, 1))
    assert follower.settle(30)
    assert follower.stats.failures == 1
    pid = result["profile_ids"][0]
    assert _traits(graph, pid)[0] is True
    # The next refresh (here a resolve's) works the mark off.
    resolve(graph, RULES)
    assert _traits(graph, pid)[0] is None
