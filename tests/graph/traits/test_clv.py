"""The CLV model's fit on data it cannot fit: a short reason, and nothing on stdout."""

import pytest

from graph.traits import TraitConfig, clv
from graph.traits.compute import Facts


def test_a_fit_that_does_not_converge_prints_nothing_and_says_why_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every customer ordered three times on one day, today: BG/NBD's optimizer cannot converge,
    # and lifetimes prints scipy's whole result to stdout before raising.
    same_day = [
        Facts(f"P{i}", orders=3, first_order_age_days=0.0, last_order_age_days=0.0, currency="EUR", average_value=5.0)
        for i in range(clv.MIN_CUSTOMERS + 10)
    ]
    fitted = clv.fit(same_day, TraitConfig())
    assert fitted.params is None
    assert fitted.note is not None and fitted.note.startswith("BG/NBD did not converge: The model did not converge")
    assert "\n" not in fitted.note
    assert capsys.readouterr().out == ""
