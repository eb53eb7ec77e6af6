"""Predicted customer lifetime value and probability of being alive: BG/NBD + Gamma-Gamma.

The statistics are the `lifetimes` package's (Fader, Hardie & Lee's BG/NBD for the number of
future orders and P(alive); Fader & Hardie's Gamma-Gamma for the value of an order); c360 only
shapes the inputs (days, the profile's main currency) and multiplies the two predictions over
the horizon (undiscounted). See the README's Analytics section for why this library.

BG/NBD is fitted over every customer (order counts do not depend on currency); Gamma-Gamma per
currency, over that currency's repeat customers, when it has at least `MIN_REPEAT` of them.
The fitted parameters are stored with the trait model; incremental refreshes predict with them.
"""

import contextlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from graph.traits.compute import Facts
from graph.traits.config import TraitConfig

__all__ = ["Fitted", "MIN_CUSTOMERS", "MIN_REPEAT", "fit", "predict"]

MIN_CUSTOMERS = 50
"""Fewer customers than this fit no model: the estimates would be noise."""
MIN_REPEAT = 20
_EMPTY: dict[str, Any] = {"trait_p_alive": None, "trait_expected_orders": None, "trait_clv": None}


@dataclass(frozen=True)
class Fitted:
    params: dict[str, Any] | None
    note: str | None = None


def _rfT(facts: list[Facts]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BG/NBD inputs in days: repeat orders, age at the last order, age of the customer."""
    frequency = np.array([f.orders - 1 for f in facts], dtype=float)
    T = np.array([f.first_order_age_days or 0.0 for f in facts], dtype=float)
    recency = T - np.array([f.last_order_age_days or 0.0 for f in facts], dtype=float)
    return frequency, np.maximum(recency, 0.0), np.maximum(T, 1e-6)


def _library() -> tuple[Any, Any]:
    """lifetimes, imported lazily (pandas and autograd take seconds) and quietly: it sets a pandas
    option that pandas 3 deprecates."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    return BetaGeoFitter, GammaGammaFitter


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def fit(facts: list[Facts], config: TraitConfig) -> Fitted:
    customers = [f for f in facts if f.orders > 0 and f.first_order_age_days is not None]
    if len(customers) < MIN_CUSTOMERS:
        return Fitted(None, f"{len(customers)} customers with orders; the CLV model needs {MIN_CUSTOMERS}")
    BetaGeoFitter, GammaGammaFitter = _library()
    frequency, recency, T = _rfT(customers)
    # lifetimes prints scipy's whole optimizer result to stdout before it raises on a fit that
    # does not converge; the reason goes into the note instead, in one line.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            bgf = BetaGeoFitter(penalizer_coef=0.001).fit(frequency, recency, T)
        except Exception as exc:  # the optimizer's convergence errors are several types
            return Fitted(None, f"BG/NBD did not converge: {_first_line(exc)}")
        gamma: dict[str, dict[str, float]] = {}
        notes = []
        for currency in sorted({f.currency for f in customers if f.currency}):
            repeat = [f for f in customers if f.currency == currency and f.orders > 1 and (f.average_value or 0) > 0]
            if len(repeat) < MIN_REPEAT:
                notes.append(f"{currency}: {len(repeat)} repeat customers, no spend model")
                continue
            try:
                ggf = GammaGammaFitter(penalizer_coef=0.001).fit(
                    np.array([f.orders - 1 for f in repeat], dtype=float),
                    np.array([f.average_value for f in repeat], dtype=float),
                )
            except Exception as exc:
                notes.append(f"{currency}: Gamma-Gamma did not converge ({_first_line(exc)})")
                continue
            gamma[currency] = {k: float(v) for k, v in ggf.params_.items()}
    params = {"bgnbd": {k: float(v) for k, v in bgf.params_.items()}, "gamma_gamma": gamma, "customers": len(customers)}
    return Fitted(params, "; ".join(notes) or None)


def predict(facts: list[Facts], params: dict[str, Any] | None, config: TraitConfig) -> list[dict[str, Any]]:
    """P(alive), expected orders and CLV over the horizon, per profile (None for prospects)."""
    out = [dict(_EMPTY) for _ in facts]
    index = [i for i, f in enumerate(facts) if f.orders > 0 and f.first_order_age_days is not None]
    if params is None or not index:
        return out
    import pandas as pd

    BetaGeoFitter, GammaGammaFitter = _library()

    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(params["bgnbd"])
    customers = [facts[i] for i in index]
    frequency, recency, T = _rfT(customers)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        alive = np.asarray(bgf.conditional_probability_alive(frequency, recency, T), dtype=float)
        expected = np.asarray(
            bgf.conditional_expected_number_of_purchases_up_to_time(config.clv_horizon_days, frequency, recency, T),
            dtype=float,
        )
        for n, i in enumerate(index):
            out[i]["trait_p_alive"] = _finite(alive[n], 4)
            out[i]["trait_expected_orders"] = _finite(expected[n], 3)
        for currency, gamma in params["gamma_gamma"].items():
            mine = [n for n, f in enumerate(customers) if f.currency == currency and (f.average_value or 0) > 0]
            if not mine:
                continue
            ggf = GammaGammaFitter()
            ggf.params_ = pd.Series(gamma)
            value = np.asarray(
                ggf.conditional_expected_average_profit(
                    np.array([customers[n].orders - 1 for n in mine], dtype=float),
                    np.array([customers[n].average_value for n in mine], dtype=float),
                ),
                dtype=float,
            )
            for k, n in enumerate(mine):
                out[index[n]]["trait_clv"] = _finite(expected[n] * value[k], 2)
    return out


def _finite(value: float, digits: int) -> float | None:
    return round(float(value), digits) if np.isfinite(value) else None
