"""Graph values as plain JSON-ready Python: temporal values become ISO 8601 strings."""

from typing import Any

__all__ = ["plain"]


def plain(value: Any) -> Any:
    """Recursively convert driver values (neo4j.time types, lists, maps) for json.dumps."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if hasattr(value, "iso_format"):  # neo4j.time.DateTime, Date, Time, Duration
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
