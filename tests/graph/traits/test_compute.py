"""Traits as pure functions: lifecycle stages, spend per currency, RFM quintiles, sentiment."""

import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph.traits import TraitConfig
from graph.traits.compute import Facts, describe, lifecycle
from graph.traits.rfm import fit, score
from graph.traits.sentiment import score_text

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = TraitConfig(as_of=NOW)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def tp(uid: str, channel: str, kind: str, days: float, **extra: Any) -> dict[str, Any]:
    return {"uid": uid, "channel": channel, "type": kind, "at": ago(days), "amount": None, "currency": None} | extra


@pytest.mark.parametrize(
    ("orders", "stage"),
    [
        ([], "prospect"),
        ([10], "new"),
        ([200, 20], "active"),
        ([200, 120], "at_risk"),
        ([800, 400], "lapsed"),
        ([900, 10], "reactivated"),
        ([900, 500, 10], "reactivated"),
        ([900, 300, 10], "active"),
    ],
)
def test_lifecycle_stages(orders: list[float], stage: str) -> None:
    assert lifecycle([ago(d) for d in orders], NOW, CONFIG) == stage


def test_lifecycle_thresholds_are_configurable() -> None:
    strict = TraitConfig(as_of=NOW, new_days=5, active_days=10, lapsed_days=60)
    assert lifecycle([ago(200), ago(20)], NOW, strict) == "at_risk"
    assert lifecycle([ago(200), ago(70)], NOW, strict) == "lapsed"
    with pytest.raises(ValueError, match="active_days < lapsed_days"):
        TraitConfig(active_days=400, lapsed_days=365)


def test_describe_spend_per_currency_engagement_and_explanation() -> None:
    touchpoints = [
        tp("shop:O-1", "shop", "order", 400, amount=100.0, currency="GBP"),
        tp("shop:O-2", "shop", "order", 30, amount=50.5, currency="GBP"),
        tp("shop:O-3", "shop", "order", 20, amount=80.0, currency="EUR"),
        tp("email:M-1", "email", "sent", 10),
        tp("email:M-2", "email", "open", 10),
        tp("email:M-3", "email", "click", 10),
        tp("email:M-4", "email", "open", 200),  # outside the 90-day window
        tp("web:E-1", "web", "page_view", 5),
        tp("web:E-2", "web", "page_view", 5),
        tp("web:E-3", "web", "page_view", 6),
        tp("support:T-1", "support", "chat", 50, sentiment_score=-0.6),
        tp("support:T-2", "support", "email", 40, sentiment_score=0.2),
        {"uid": "shop:O-9", "channel": "shop", "type": "order", "at": None, "amount": 5.0, "currency": "GBP"},
    ]
    facts = describe("P-1", touchpoints, NOW, CONFIG)
    props = facts.props
    assert props["trait_order_count"] == 3
    assert json.loads(props["trait_spend"]) == {
        "EUR": {"total": 80.0, "average": 80.0, "orders": 1},
        "GBP": {"total": 150.5, "average": 75.25, "orders": 2},
    }
    assert props["trait_currency"] == "GBP" and props["trait_total_spend"] == 150.5
    assert props["trait_first_order_at"] == ago(400) and props["trait_last_order_at"] == ago(20)
    assert props["trait_first_seen"] == ago(400) and props["trait_last_seen"] == ago(5)
    assert props["trait_tenure_days"] == 400 and props["trait_recency_days"] == 20
    assert props["trait_email_opens"] == 1 and props["trait_email_clicks"] == 1
    assert props["trait_web_visits"] == 2  # two distinct days
    # shop, email (without "sent": not the person's doing) and web have 3 each: the latest wins.
    assert props["trait_preferred_channel"] == "web"
    assert props["trait_sentiment_score"] == -0.2 and props["trait_sentiment"] == "negative"
    assert props["trait_lifecycle"] == "active"
    explain = json.loads(props["trait_explain"])
    assert explain["orders"] == {"count": 3, "ids": ["shop:O-3", "shop:O-2", "shop:O-1"]}
    assert explain["sentiment"]["ids"] == ["support:T-2", "support:T-1"]
    assert explain["touchpoints"] == {"count": 13}


def test_prospect_has_no_order_traits() -> None:
    props = describe("P-2", [tp("web:E-1", "web", "page_view", 3)], NOW, CONFIG).props
    assert props["trait_order_count"] == 0 and props["trait_lifecycle"] == "prospect"
    assert props["trait_spend"] is None and props["trait_recency_days"] is None
    assert props["trait_preferred_channel"] == "web"


def _facts(pid: str, orders: int, recency: float, spend: float, currency: str = "GBP") -> Facts:
    return Facts(pid=pid, orders=orders, recency_days=recency, currency=currency, monetary=spend)


def test_rfm_quintiles_rank_the_base() -> None:
    base = [_facts(f"P-{i}", 1 + i % 5, 10.0 * i, 20.0 * i) for i in range(1, 101)]
    base.append(_facts("P-eur", 1, 5.0, 1.0, "EUR"))
    cuts = fit(base + [Facts(pid="P-prospect")])
    assert cuts["customers"] == 101 and set(cuts["monetary"]) == {"GBP", "EUR"}
    best = score(_facts("P-best", 9, 1.0, 10_000.0), cuts)
    worst = score(_facts("P-worst", 1, 5000.0, 0.5), cuts)
    assert (best["trait_r_score"], best["trait_f_score"], best["trait_m_score"]) == (5, 5, 5)
    assert best["trait_rfm"] == "555"
    assert (worst["trait_r_score"], worst["trait_f_score"], worst["trait_m_score"]) == (1, 1, 1)
    # No cut points for an unseen currency: no monetary score rather than a wrong one.
    assert score(_facts("P-usd", 2, 3.0, 50.0, "USD"), cuts)["trait_m_score"] is None
    assert score(Facts(pid="P-prospect"), cuts)["trait_rfm"] is None
    assert score(_facts("P-x", 2, 3.0, 5.0), None)["trait_r_score"] is None


def test_sentiment_uses_the_shipped_lexicon_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("sentiment must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    bad, bad_label = score_text("Item arrived damaged. Terrible service, I am very angry.")
    good, good_label = score_text("Thank you, great help, I love it!")
    assert bad < -0.5 and bad_label == "negative"
    assert good > 0.5 and good_label == "positive"
    assert score_text("Copy of invoice")[1] == "neutral"
