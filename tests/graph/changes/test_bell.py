"""The bell rings after a commit that numbered outbox events in this process, and only then."""

import threading
from datetime import UTC, datetime

import pytest

from graph.changes import bell, outbox
from graph.changes import events as ev
from graph.connection import Graph, TxGraph
from graph.identity import load_rules, resolve
from graph.privacy import consent
from tests.graph.identity.conftest import Loader, profile_of


def test_rings_after_a_commit_with_events_only(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    before = bell.rung()
    resolve(graph, load_rules())  # resolution's micro-batch (one atomic transaction) numbers events
    rung = bell.rung()
    assert rung > before
    pid = profile_of(graph, "crm:A")
    graph.write("changes_head")  # a transaction without events
    assert bell.rung() == rung
    consent.set(graph, pid, "marketing", "email", "granted", by="test")  # its write under the lock
    assert bell.rung() == rung + 1

    def rolled_back(tx: TxGraph) -> None:
        tx.write_many(outbox.enclose([], [ev.event(ev.RESTRICTION_SET, pid)], datetime.now(UTC)))
        raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        graph.atomic(rolled_back)
    assert bell.rung() == rung + 1  # rolled back: nothing to wake anyone for


def test_wait_returns_on_a_ring_it_had_not_seen() -> None:
    seen = bell.rung()
    assert bell.wait(seen - 1, 0) == seen  # rung since: no waiting
    threading.Timer(0.05, bell.ring).start()
    assert bell.wait(seen, 60) == seen + 1
