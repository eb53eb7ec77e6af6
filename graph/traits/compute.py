"""Descriptive traits of one profile from its touchpoints: pure functions, no database.

A touchpoint here is a plain dict: uid, channel, type, at (aware datetime or None), amount,
currency, sentiment_score. Orders are touchpoints of type `order` or `purchase`; email opens and
clicks are email touchpoints of type `open` / `click`; a web visit is a day with web activity.
Outbound touchpoints (`sent`) say nothing about what the person prefers.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from graph.traits.config import TraitConfig

__all__ = ["EXPLAIN_IDS", "ORDER_TYPES", "Facts", "describe", "lifecycle", "sentiment_label"]

ORDER_TYPES = frozenset({"order", "purchase"})
OUTBOUND_TYPES = frozenset({"sent", "delivered", "bounce"})
EXPLAIN_IDS = 20
"""Touchpoint ids kept per explained trait group (the newest); counts are always complete."""

Touchpoint = dict[str, Any]


@dataclass
class Facts:
    """What the model-based traits (RFM, CLV) need of one profile, in days and one currency."""

    pid: str
    orders: int = 0
    recency_days: float | None = None
    currency: str | None = None
    monetary: float | None = None
    first_order_age_days: float | None = None
    last_order_age_days: float | None = None
    average_value: float | None = None
    props: dict[str, Any] = field(default_factory=dict)


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86_400


def lifecycle(order_times: list[datetime], now: datetime, config: TraitConfig) -> str:
    """prospect -> new -> active -> at_risk -> lapsed, and reactivated after a lapse."""
    if not order_times:
        return "prospect"
    times = sorted(order_times)
    recency = _days(now - times[-1])
    if recency > config.lapsed_days:
        return "lapsed"
    if recency > config.active_days:
        return "at_risk"
    if _days(now - times[0]) <= config.new_days:
        return "new"
    gaps = [_days(b - a) for a, b in zip(times, times[1:], strict=False)]
    if gaps and gaps[-1] > config.lapsed_days:
        return "reactivated"
    return "active"


def _explained(items: list[Touchpoint]) -> dict[str, Any]:
    newest = sorted(items, key=lambda t: (t["at"] is not None, t["at"] or 0, t["uid"]), reverse=True)
    return {"count": len(items), "ids": [t["uid"] for t in newest[:EXPLAIN_IDS]]}


def describe(pid: str, touchpoints: list[Touchpoint], now: datetime, config: TraitConfig) -> Facts:
    """Every descriptive trait of one profile (props named `trait_*`) and the facts for the models."""
    timed = [t for t in touchpoints if t["at"] is not None and t["at"] <= now]
    orders = [t for t in timed if t.get("type") in ORDER_TYPES]
    since = now - timedelta(days=config.engagement_days)
    recent = [t for t in timed if t["at"] >= since]
    opens = [t for t in recent if t.get("channel") == "email" and t.get("type") == "open"]
    clicks = [t for t in recent if t.get("channel") == "email" and t.get("type") == "click"]
    web = [t for t in recent if t.get("channel") == "web"]
    felt = [t for t in touchpoints if t.get("sentiment_score") is not None]

    spend: dict[str, dict[str, float]] = defaultdict(lambda: {"total": 0.0, "orders": 0})
    for order in orders:
        if order.get("amount") is not None and order.get("currency"):
            entry = spend[order["currency"]]
            entry["total"] += float(order["amount"])
            entry["orders"] += 1
    per_currency = {
        cur: {"total": round(e["total"], 2), "average": round(e["total"] / e["orders"], 2), "orders": int(e["orders"])}
        for cur, e in sorted(spend.items())
    }
    # The main currency is where the person spends most often (then most): RFM monetary
    # and CLV are computed in it, since amounts in different currencies do not add up.
    main = max(per_currency, key=lambda c: (per_currency[c]["orders"], per_currency[c]["total"]), default=None)

    order_times = sorted(t["at"] for t in orders)
    first_seen = min((t["at"] for t in timed), default=None)
    last_seen = max((t["at"] for t in timed), default=None)
    own = [t for t in timed if t.get("channel") and t.get("type") not in OUTBOUND_TYPES]
    channels = Counter(t["channel"] for t in own)
    latest = {t["channel"]: t["at"] for t in sorted(own, key=lambda t: t["at"])}
    # The channel used most; a tie goes to the one used most recently.
    preferred = max(channels, key=lambda c: (channels[c], latest[c]), default=None)
    scores = [float(t["sentiment_score"]) for t in felt]
    mean = round(sum(scores) / len(scores), 4) if scores else None

    facts = Facts(pid=pid, orders=len(orders))
    if order_times:
        facts.recency_days = _days(now - order_times[-1])
        facts.first_order_age_days = _days(now - order_times[0])
        facts.last_order_age_days = facts.recency_days
    if main is not None:
        facts.currency = main
        facts.monetary = per_currency[main]["total"]
        facts.average_value = per_currency[main]["average"]
    facts.props = {
        "trait_first_seen": first_seen,
        "trait_last_seen": last_seen,
        "trait_first_order_at": order_times[0] if order_times else None,
        "trait_last_order_at": order_times[-1] if order_times else None,
        "trait_order_count": len(orders),
        "trait_spend": json.dumps(per_currency, sort_keys=True) if per_currency else None,
        "trait_currency": main,
        "trait_total_spend": facts.monetary,
        "trait_average_spend": facts.average_value,
        "trait_tenure_days": int(_days(now - first_seen)) if first_seen else None,
        "trait_recency_days": int(facts.recency_days) if facts.recency_days is not None else None,
        "trait_lifecycle": lifecycle(order_times, now, config),
        "trait_preferred_channel": preferred,
        "trait_email_opens": len(opens),
        "trait_email_clicks": len(clicks),
        "trait_web_visits": len({t["at"].date() for t in web}),
        "trait_sentiment_score": mean,
        "trait_sentiment": sentiment_label(mean) if mean is not None else None,
        "trait_sentiment_count": len(scores),
    }
    explain = {
        "orders": _explained(orders),
        "email_opens": _explained(opens),
        "email_clicks": _explained(clicks),
        "web_visits": _explained(web),
        "sentiment": _explained(felt),
        "touchpoints": {"count": len(touchpoints)},
    }
    facts.props["trait_explain"] = json.dumps(explain, sort_keys=True)
    return facts


def sentiment_label(score: float) -> str:
    """VADER's own convention: compound >= 0.05 positive, <= -0.05 negative."""
    if score >= 0.05:
        return "positive"
    if score <= -0.05:
        return "negative"
    return "neutral"
