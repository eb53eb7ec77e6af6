"""RFM: recency, frequency and monetary quintile scores over the current customer base.

Cut points are fitted by `refresh_all` over every profile with at least one order and kept with
the model; incremental refreshes score against them, so a score means the same thing for
every profile until the next full recomputation. Monetary cut points are per currency (amounts
in different currencies are not comparable). Score 5 is best: most recent, most frequent,
highest spend.
"""

from bisect import bisect_left
from collections import defaultdict
from typing import Any

import numpy as np

from graph.traits.compute import Facts

__all__ = ["Cuts", "fit", "score"]

Cuts = dict[str, Any]
"""{"recency": [4 floats], "frequency": [...], "monetary": {currency: [...]}}"""

_QUANTILES = [20, 40, 60, 80]


def _cuts(values: list[float]) -> list[float]:
    return [float(v) for v in np.percentile(np.asarray(values, dtype=float), _QUANTILES)] if values else []


def fit(facts: list[Facts]) -> Cuts:
    customers = [f for f in facts if f.orders > 0 and f.recency_days is not None]
    spend: dict[str, list[float]] = defaultdict(list)
    for f in customers:
        if f.currency is not None and f.monetary is not None:
            spend[f.currency].append(f.monetary)
    return {
        "recency": _cuts([f.recency_days for f in customers if f.recency_days is not None]),
        "frequency": _cuts([float(f.orders) for f in customers]),
        "monetary": {currency: _cuts(values) for currency, values in sorted(spend.items())},
        "customers": len(customers),
    }


def _quintile(value: float, cuts: list[float]) -> int:
    """1..5: how many cut points lie strictly below the value, plus one."""
    return bisect_left(cuts, value) + 1


def score(f: Facts, cuts: Cuts | None) -> dict[str, Any]:
    """The RFM trait props of one profile; all None for a prospect or before any fit."""
    empty: dict[str, Any] = {"trait_r_score": None, "trait_f_score": None, "trait_m_score": None, "trait_rfm": None}
    props: dict[str, Any] = {"trait_recency_days": None, "trait_frequency": f.orders, "trait_monetary": f.monetary}
    if f.recency_days is not None:
        props["trait_recency_days"] = int(f.recency_days)
    if cuts is None or f.orders == 0 or f.recency_days is None or len(cuts.get("recency") or []) != 4:
        return props | empty
    r = 6 - _quintile(f.recency_days, cuts["recency"])
    fq = _quintile(float(f.orders), cuts["frequency"])
    money = (cuts.get("monetary") or {}).get(f.currency or "")
    m = _quintile(f.monetary, money) if money and f.monetary is not None else None
    return props | {
        "trait_r_score": r,
        "trait_f_score": fq,
        "trait_m_score": m,
        "trait_rfm": f"{r}{fq}{m}" if m is not None else None,
    }
