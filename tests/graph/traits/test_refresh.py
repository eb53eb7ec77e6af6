"""Traits on the real graph: computed after resolution, refreshed only for affected profiles,
following merges, and the model fitted over the whole base."""

import importlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph import traits
from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.identity.lock import Lease
from graph.privacy import retention
from graph.traits import TraitConfig
from loaders.sample import generate
from tests.graph.identity.conftest import load_dir
from tests.graph.traits.conftest import Feed, profile

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def _people(feed: Feed) -> None:
    feed(
        "shop_customers",
        [
            {"customer_id": "S-1", "email": "ann@example.org", "first_name": "Ann", "last_name": "Lee"},
            {"customer_id": "S-2", "email": "bob@example.org", "first_name": "Bob", "last_name": "Ray"},
        ],
    )
    feed(
        "shop_orders",
        [
            {
                "order_id": "O-1",
                "customer_id": "S-1",
                "ordered_at": "2025-11-01T10:00:00Z",
                "total": 40,
                "currency": "GBP",
            },
            {
                "order_id": "O-2",
                "customer_id": "S-1",
                "ordered_at": "2025-12-20T10:00:00Z",
                "total": 60,
                "currency": "GBP",
            },
            {
                "order_id": "O-3",
                "customer_id": "S-2",
                "ordered_at": "2024-06-01T10:00:00Z",
                "total": 15,
                "currency": "EUR",
            },
        ],
    )
    feed(
        "support_tickets",
        [
            {
                "ticket_id": "T-1",
                "requester_id": "R-1",
                "opened_at": "2025-12-21T09:00:00Z",
                "email": "ann@example.org",
                "subject": "Item arrived damaged, terrible packaging",
                "channel": "chat",
            }
        ],
    )
    feed(
        "email_events",
        [
            {
                "event_id": "M-1",
                "subscriber_id": "NL-1",
                "email": "ann@example.org",
                "ts": "2025-12-01T08:00:00Z",
                "campaign_id": "CMP-1",
                "event_type": "open",
            },
        ],
    )


def test_traits_follow_resolution_and_new_touchpoints(graph: Graph, feed: Feed) -> None:
    traits.refresh_all(graph, TraitConfig(as_of=AS_OF))  # stores the configuration (no profiles yet)
    _people(feed)
    report = resolve(graph, load_rules())
    assert report.traits == 2
    ann = profile(graph, "shop:S-1")
    assert ann["trait_order_count"] == 2 and ann["trait_total_spend"] == 100.0 and ann["trait_currency"] == "GBP"
    assert ann["trait_lifecycle"] == "active" and ann["trait_recency_days"] == 11  # first order 61 days ago
    assert ann["trait_email_opens"] == 1
    assert ann["trait_sentiment"] == "negative" and ann["trait_sentiment_count"] == 1
    explain = json.loads(ann["trait_explain"])
    assert explain["orders"] == {"count": 2, "ids": ["shop:O-2", "shop:O-1"]}
    assert explain["sentiment"]["ids"] == ["support:T-1"]
    bob = profile(graph, "shop:S-2")
    assert bob["trait_lifecycle"] == "lapsed" and bob["trait_spend"] == json.dumps(
        {"EUR": {"average": 15.0, "orders": 1, "total": 15.0}}
    )
    sentiment = graph.driver.execute_query(
        "MATCH (t:Touchpoint {uid: 'support:T-1'}) RETURN t.sentiment AS s, t.sentiment_score AS v",
        database_=graph.database,
    ).records[0]
    assert sentiment["s"] == "negative" and sentiment["v"] < -0.5

    # A new order of a known customer changes no profile, but resolution's hook refreshes Bob only.
    bob_refreshed = bob["trait_refreshed_at"]
    ann_refreshed = profile(graph, "shop:S-1")["trait_refreshed_at"]
    feed(
        "shop_orders",
        [
            {
                "order_id": "O-4",
                "customer_id": "S-2",
                "ordered_at": "2025-12-30T10:00:00Z",
                "total": 25,
                "currency": "EUR",
            }
        ],
    )
    again = resolve(graph, load_rules())
    assert again.written == 0 and again.traits == 1
    bob = profile(graph, "shop:S-2")
    assert bob["trait_order_count"] == 2 and bob["trait_lifecycle"] == "reactivated"
    assert bob["trait_refreshed_at"] > bob_refreshed
    assert profile(graph, "shop:S-1")["trait_refreshed_at"] == ann_refreshed
    assert graph.read("traits_due_profiles", skip=[], limit=10) == []
    assert (
        graph.driver.execute_query(
            "MATCH (t:Touchpoint) WHERE t.traits_pending RETURN count(t) AS n", database_=graph.database
        ).records[0]["n"]
        == 0
    )
    # Nothing pending: nothing recomputed.
    assert resolve(graph, load_rules()).traits == 0


def test_a_merge_adds_up_both_histories(graph: Graph, feed: Feed) -> None:
    _people(feed)
    resolve(graph, load_rules())
    before = {profile(graph, "shop:S-1")["pid"], profile(graph, "shop:S-2")["pid"]}
    # A steward says the two are one person.
    graph.write("steward_link", a="shop:S-1", b="shop:S-2", by="test", reason="same", now=AS_OF.isoformat())
    report = resolve(graph, load_rules())
    merged = profile(graph, "shop:S-1")
    assert merged["pid"] == profile(graph, "shop:S-2")["pid"] and merged["pid"] in before
    assert report.traits >= 1
    assert merged["trait_order_count"] == 3
    assert set(json.loads(merged["trait_spend"])) == {"GBP", "EUR"}


def test_refresh_all_fits_rfm_and_clv_over_the_base(graph: Graph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(400, 11, data)
    load_dir(graph, data, tmp_path / "q.jsonl")
    resolve(graph, load_rules())
    report = traits.refresh_all(graph, TraitConfig(as_of=AS_OF))
    assert report.clv_fitted, report.clv_note
    assert report.customers and report.customers > 50
    rows = graph.driver.execute_query(
        "MATCH (p:Profile) RETURN p {.*} AS p",
        database_=graph.database,
    ).records
    props = [dict(r["p"]) for r in rows]
    assert len(props) == report.profiles
    customers = [p for p in props if p["trait_order_count"] > 0]
    assert customers and all(1 <= p["trait_r_score"] <= 5 and 1 <= p["trait_f_score"] <= 5 for p in customers)
    assert {p["trait_r_score"] for p in customers} == {1, 2, 3, 4, 5}
    assert all(0.0 <= p["trait_p_alive"] <= 1.0 for p in customers)
    assert all(p["trait_expected_orders"] >= 0 for p in customers)
    assert any(p.get("trait_clv") for p in customers)
    assert all(p.get("trait_clv") is None or p["trait_clv"] >= 0 for p in customers)
    prospects = [p for p in props if p["trait_order_count"] == 0]
    assert prospects and all(p["trait_lifecycle"] == "prospect" and p.get("trait_clv") is None for p in prospects)
    assert any(p.get("trait_sentiment") for p in props)
    # The incremental refresh scores with the stored model: same values for the same profile.
    one = customers[0]["pid"]
    traits.refresh(graph, [one])
    again = dict(graph.read("api_profiles_by_pid", pids=[one])[0]["profile"])
    for key in ("trait_rfm", "trait_clv", "trait_p_alive", "trait_lifecycle"):
        assert again.get(key) == customers[0].get(key)


def test_retention_makes_traits_due_and_a_lease_defers_the_refresh(graph: Graph, feed: Feed) -> None:
    traits.refresh_all(graph, TraitConfig(as_of=AS_OF))
    _people(feed)
    resolve(graph, load_rules())
    assert profile(graph, "shop:S-2")["trait_order_count"] == 1
    # Bob's only order is older than the shop's retention: it goes, and his traits are due.
    assert retention.apply(graph, {"shop": 365}, now=AS_OF) == {"shop": 1}
    bob = profile(graph, "shop:S-2")["pid"]
    assert graph.read("traits_due_profiles", skip=[], limit=10) == [{"pid": bob}]
    # While a rebuild holds the lease the refresh waits its turn; what is due stays marked.
    with Lease.take(graph, "incremental", ttl=60):
        assert traits.refresh_pending(graph).deferred
    assert graph.read("traits_due_profiles", skip=[], limit=10) == [{"pid": bob}]
    report = traits.refresh_pending(graph)
    assert report.profiles == 1 and not report.deferred
    assert profile(graph, "shop:S-2")["trait_order_count"] == 0
    assert profile(graph, "shop:S-2")["trait_lifecycle"] == "prospect"
    assert graph.read("traits_due_profiles", skip=[], limit=10) == []


def _pending_touchpoints(graph: Graph) -> int:
    query = "MATCH (t:Touchpoint) WHERE t.traits_pending RETURN count(t) AS n"
    return int(graph.driver.execute_query(query, database_=graph.database).records[0]["n"])


def test_pending_touchpoints_are_taken_a_chunk_per_transaction(
    graph: Graph, feed: Feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a bulk import every touchpoint is pending; one transaction for all of them ran Neo4j
    # out of memory. A bounded refresh takes one chunk; the rest wait for the next transaction.
    traits.refresh_all(graph, TraitConfig(as_of=AS_OF))
    _people(feed)
    resolve(graph, load_rules(), wait=0)  # the profiles, their traits and no touchpoint pending
    graph.driver.execute_query("MATCH (t:Touchpoint) SET t.traits_pending = true", database_=graph.database)
    assert _pending_touchpoints(graph) == 5
    # The package exports a function named like its module: reach the module itself.
    monkeypatch.setattr(importlib.import_module("graph.traits.refresh"), "PENDING_CHUNK", 2)
    traits.refresh_pending(graph, max_chunks=1)
    assert _pending_touchpoints(graph) == 3
    report = traits.refresh_pending(graph)
    assert _pending_touchpoints(graph) == 0
    assert report.profiles >= 2  # Ann and Bob were due again, and refreshed
    assert graph.read("traits_due_profiles", skip=[], limit=10) == []
