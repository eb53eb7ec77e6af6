"""Driver values as Python values: the neo4j driver's temporal types become the standard library's."""

from typing import Any

__all__ = ["native"]


def native(value: Any) -> Any:
    """`value.to_native()` for the driver's DateTime, Date and Time (datetime, date, time); anything
    else, None included, as it is. Nested lists and maps are not walked."""
    return value.to_native() if hasattr(value, "to_native") else value
