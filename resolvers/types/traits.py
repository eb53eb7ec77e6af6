"""Computed traits of a profile (graph/traits), read from the profile row the per-request
profile loader already brought: no extra round trip. Not personal data: visible to every role
that may see the profile (the app role never sees restricted profiles at all)."""

import json
from datetime import datetime
from typing import Any

import strawberry

from graph.values import native
from resolvers.store import Row

__all__ = ["Traits"]


@strawberry.type(description="Spend in one currency (amounts in different currencies are never added up).")
class CurrencySpend:
    currency: str
    total: float
    average: float
    orders: int


@strawberry.type(description="Which touchpoints fed a group of traits: how many, and the newest ids (up to 20).")
class TraitSource:
    traits: str = strawberry.field(description="orders, email_opens, email_clicks, web_visits, sentiment, touchpoints")
    count: int
    touchpoint_ids: list[str]


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _time(value: Any) -> datetime | None:
    found = native(value)
    return found if isinstance(found, datetime) else None


@strawberry.type(description="Computed traits; see the README's Analytics section for definitions, units and refresh.")
class Traits:
    row: strawberry.Private[Row]

    @classmethod
    def of(cls, row: Row) -> "Traits | None":
        return cls(row=row) if row.get("trait_refreshed_at") is not None else None

    def _get(self, name: str) -> Any:
        return self.row.get(f"trait_{name}")

    @strawberry.field(description="Time of the earliest touchpoint.")
    def first_seen(self) -> datetime | None:
        return _time(self._get("first_seen"))

    @strawberry.field(description="Time of the latest touchpoint.")
    def last_seen(self) -> datetime | None:
        return _time(self._get("last_seen"))

    @strawberry.field
    def first_order_at(self) -> datetime | None:
        return _time(self._get("first_order_at"))

    @strawberry.field
    def last_order_at(self) -> datetime | None:
        return _time(self._get("last_order_at"))

    @strawberry.field
    def order_count(self) -> int:
        return _int(self._get("order_count")) or 0

    @strawberry.field(description="Total and average order value per currency.")
    def spend(self) -> list[CurrencySpend]:
        try:
            data = json.loads(self._get("spend") or "{}")
        except ValueError:
            data = {}
        return [
            CurrencySpend(currency=c, total=v["total"], average=v["average"], orders=v["orders"])
            for c, v in data.items()
        ]

    @strawberry.field(description="Main currency: where the person orders most; RFM monetary and CLV are in it.")
    def currency(self) -> str | None:
        return _str(self._get("currency"))

    @strawberry.field(description="Total spend in the main currency.")
    def total_spend(self) -> float | None:
        return _float(self._get("total_spend"))

    @strawberry.field(description="Average order value in the main currency.")
    def average_spend(self) -> float | None:
        return _float(self._get("average_spend"))

    @strawberry.field(description="Days since the first touchpoint.")
    def tenure_days(self) -> int | None:
        return _int(self._get("tenure_days"))

    @strawberry.field(description="Days since the last order (RFM recency).")
    def recency_days(self) -> int | None:
        return _int(self._get("recency_days"))

    @strawberry.field(description="Orders (RFM frequency).")
    def frequency(self) -> int | None:
        return _int(self._get("frequency"))

    @strawberry.field(description="Total spend in the main currency (RFM monetary).")
    def monetary(self) -> float | None:
        return _float(self._get("monetary"))

    @strawberry.field(description="Recency quintile over the customer base, 5 = most recent.")
    def r_score(self) -> int | None:
        return _int(self._get("r_score"))

    @strawberry.field(description="Frequency quintile, 5 = most orders.")
    def f_score(self) -> int | None:
        return _int(self._get("f_score"))

    @strawberry.field(description="Monetary quintile within the main currency, 5 = highest spend.")
    def m_score(self) -> int | None:
        return _int(self._get("m_score"))

    @strawberry.field(description='The three scores as one code, e.g. "545".')
    def rfm(self) -> str | None:
        return _str(self._get("rfm"))

    @strawberry.field(description="prospect, new, active, at_risk, lapsed or reactivated.")
    def lifecycle(self) -> str | None:
        return _str(self._get("lifecycle"))

    @strawberry.field(description="The channel of most of the person's own touchpoints.")
    def preferred_channel(self) -> str | None:
        return _str(self._get("preferred_channel"))

    @strawberry.field(description="Email opens in the engagement window (C360_TRAITS_ENGAGEMENT_DAYS).")
    def email_opens(self) -> int:
        return _int(self._get("email_opens")) or 0

    @strawberry.field(description="Email clicks in the engagement window.")
    def email_clicks(self) -> int:
        return _int(self._get("email_clicks")) or 0

    @strawberry.field(description="Days with web activity in the engagement window.")
    def web_visits(self) -> int:
        return _int(self._get("web_visits")) or 0

    @strawberry.field(description="Mean VADER compound score of the person's tickets and feedback, in [-1, 1].")
    def sentiment_score(self) -> float | None:
        return _float(self._get("sentiment_score"))

    @strawberry.field(description="positive, neutral or negative.")
    def sentiment(self) -> str | None:
        return _str(self._get("sentiment"))

    @strawberry.field(description="Texts the sentiment is computed from.")
    def sentiment_count(self) -> int:
        return _int(self._get("sentiment_count")) or 0

    @strawberry.field(description="BG/NBD probability that the customer is still active, in [0, 1].")
    def p_alive(self) -> float | None:
        return _float(self._get("p_alive"))

    @strawberry.field(description="BG/NBD expected orders over the CLV horizon (C360_TRAITS_CLV_HORIZON_DAYS).")
    def expected_orders(self) -> float | None:
        return _float(self._get("expected_orders"))

    @strawberry.field(description="Predicted value over the horizon in the main currency (BG/NBD x Gamma-Gamma).")
    def clv(self) -> float | None:
        return _float(self._get("clv"))

    @strawberry.field(description="When these traits were computed.")
    def refreshed_at(self) -> datetime | None:
        return _time(self._get("refreshed_at"))

    @strawberry.field(description="Which touchpoints fed the traits.")
    def sources(self) -> list[TraitSource]:
        try:
            data = json.loads(self._get("explain") or "{}")
        except ValueError:
            data = {}
        return [
            TraitSource(traits=name, count=int(entry.get("count", 0)), touchpoint_ids=list(entry.get("ids", [])))
            for name, entry in sorted(data.items())
            if isinstance(entry, dict)
        ]
