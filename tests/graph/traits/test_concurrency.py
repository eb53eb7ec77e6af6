"""Trait and segment refresh racing merges and splits, against the real Neo4j.

The refresh used to run after the resolution committed, outside the identity lock: a merge that
retired a profile between the refresh's read and its write made Neo4j refuse the write
(EntityNotFound, a client error the driver does not retry), and the waiting event got a 500.
"""

import threading
from typing import Any

from graph import segments, traits
from graph.connection import Graph
from graph.identity import invariants, load_rules, resolve, steward
from tests.graph.traits.conftest import Feed

RULES = load_rules()
PEOPLE = 8
ROUNDS = 10


def _world(feed: Feed) -> None:
    orders: list[dict[str, Any]] = [
        {
            "order_id": f"O-{i}-{k}",
            "customer_id": f"S-{i}",
            "ordered_at": f"2025-{k + 1:02d}-10T10:00:00Z",
            "total": 10 + k,
            "currency": "GBP",
        }
        for i in range(PEOPLE)
        for k in range(3)
    ]
    people = [{"customer_id": f"S-{i}", "email": f"p{i}@x.org", "first_name": "Al"} for i in range(PEOPLE)]
    feed("shop_customers", people)
    feed("shop_orders", orders)


def test_trait_and_segment_refresh_race_merges_and_splits(graph: Graph, feed: Feed) -> None:
    _world(feed)
    resolve(graph, RULES)
    segments.save(graph, "buyers", {"where": {"trait": "order_count", "op": "gte", "value": 3}}, by="test")
    errors: list[BaseException] = []
    stop = threading.Event()

    def churn() -> None:
        try:
            for _ in range(ROUNDS):
                for i in range(0, PEOPLE, 2):  # merge pairs, then split them again
                    steward.link(graph, f"shop:S-{i}", f"shop:S-{i + 1}", by="test", reason="race", rules=RULES)
                for i in range(0, PEOPLE, 2):
                    steward.unlink(graph, f"shop:S-{i}", f"shop:S-{i + 1}", by="test", reason="race", rules=RULES)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)
        finally:
            stop.set()

    def refresh() -> None:
        # Every profile id ever seen, many of them retired by the time the refresh runs.
        seen: set[str] = set()
        try:
            while not stop.is_set():
                seen.update(r["pid"] for r in graph.read("traits_all_profiles"))
                traits.refresh(graph, seen)
                segments.refresh(graph, seen)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=churn)] + [threading.Thread(target=refresh) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import traceback

    for e in errors:
        traceback.print_exception(e)
    assert errors == []
    found = invariants.check(graph, RULES)
    assert not found, found.summary()
    # After the dust settles the materialized traits and membership are right for every profile.
    rows = graph.driver.execute_query(
        "MATCH (p:Profile) RETURN p.pid AS pid, p.trait_order_count AS n, EXISTS { (p)-[:IN_SEGMENT]->() } AS member",
        database_=graph.database,
    ).records
    assert len(rows) == PEOPLE
    assert all(r["n"] == 3 and r["member"] for r in rows), [dict(r) for r in rows]
