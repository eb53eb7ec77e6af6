"""graph.values.native: the driver's temporal types become the standard library's, the rest stays."""

from datetime import UTC, date, datetime, time

import pytest
from neo4j.time import Date, DateTime, Time

from graph.values import native


def test_driver_temporals_become_standard_library_values() -> None:
    at = datetime(2024, 3, 1, 10, 30, 5, 123456, tzinfo=UTC)
    assert native(DateTime.from_native(at)) == at and type(native(DateTime.from_native(at))) is datetime
    assert native(Date(2024, 3, 1)) == date(2024, 3, 1) and type(native(Date(2024, 3, 1))) is date
    assert native(Time(10, 30, 5)) == time(10, 30, 5) and type(native(Time(10, 30, 5))) is time


@pytest.mark.parametrize("value", [None, "2024-03-01", 7, 1.5, True, datetime(2024, 3, 1, tzinfo=UTC)])
def test_other_values_pass_through_unchanged(value: object) -> None:
    assert native(value) is value


def test_containers_are_not_walked() -> None:
    nested = [Date(2024, 3, 1)]
    assert native(nested) is nested and isinstance(nested[0], Date)
