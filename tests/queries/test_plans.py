"""Plans of statements that must seek by key whatever the statistics say.

The planner picks by estimates, and a run's backlog changes them: with a few records pending
among many, `c.pending = $token` looked more selective than the uid, and clearing the pending
marks scanned the `pending` index once per uid (quadratic in the batch: 1.1 s for 1,000 records
on a 1M graph). Those statements carry an index hint; these tests hold them to it.
"""

from typing import Any

import pytest

import queries
from graph import schema
from graph.connection import Graph


def _operators(plan: Any) -> list[tuple[str, str]]:
    found = [(plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", "")))]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


@pytest.mark.parametrize("name", ["resolve_clear_pending", "resolve_clear_pending_answer", "resolve_claim_batch"])
def test_clearing_pending_marks_seeks_each_record_by_uid(graph: Graph, name: str) -> None:
    schema.apply(graph)
    uids = [f"plan:{n}" for n in range(1, 501)]
    # The statistics of the slow case: many records, none pending when the indexes were last
    # sampled (after a full build), then a batch marked pending.
    with graph.driver.session(database=graph.database) as session:
        session.run("UNWIND range(1, 3000) AS n CREATE (:Customer {uid: 'plan:' + n})").consume()
        session.run("CALL db.awaitIndexes(60)").consume()
        session.run("CALL db.resampleIndex('customer_pending')").consume()
        session.run("CALL db.resampleIndex('customer_uid')").consume()
        session.run("MATCH (c:Customer) WHERE c.uid IN $uids SET c.pending = 't'", uids=uids).consume()
        text = "CYPHER replan=force EXPLAIN " + queries.load(name)
        plan = session.run(text, uids=uids, token="t", answer=uids[:3], limit=10).consume().plan
    operators = _operators(plan)
    assert any(op.startswith("NodeUniqueIndexSeek") and "Customer(uid)" in details for op, details in operators)
    # The claim also takes other pending records: that part alone reads the `pending` index.
    scans = sum("Customer(pending)" in details for _, details in operators)
    assert scans == (1 if name == "resolve_claim_batch" else 0), operators
