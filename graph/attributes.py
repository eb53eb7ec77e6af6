"""Custom attributes: typed values a mapping adds to a person beyond the fixed person fields.

A mapping declares them (`attributes = { loyalty_tier = "tier", household_size = {field = "hh",
type = "int"} }`); each is stored on the source record as the property `attr_<name>`, chosen for
the profile by survivorship like a built-in field, and compared by segments. The prefix keeps
them apart from every built-in and internal property, so a mapping can never overwrite `uid`,
`pending` or a golden field. Dates are kept as ISO 8601 strings (`YYYY-MM-DD`), which compare in
date order.
"""

import math
import re
from typing import Any, Literal, get_args

from graph import normalize

__all__ = ["NAME", "PREFIX", "AttributeType", "TYPES", "convert", "is_attribute", "property_name", "search_text"]

PREFIX = "attr_"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""An attribute name: lower_snake_case, at most 40 characters."""
AttributeType = Literal["string", "int", "float", "bool", "date"]
TYPES: tuple[str, ...] = get_args(AttributeType)
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def property_name(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"attribute names are lower_snake_case, at most 40 characters: {name[:64]!r}")
    return PREFIX + name


def is_attribute(key: str) -> bool:
    return key.startswith(PREFIX)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("not an integer")
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        raise ValueError("not an integer")
    return int(text)


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        number = float(value if isinstance(value, int | float) else str(value).strip())
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("not a yes/no value (true/false, yes/no, 1/0)")


def convert(kind: str, value: Any) -> Any:
    """The stored value of one attribute, or ValueError with a reason a person can act on."""
    if isinstance(value, dict | list):
        raise ValueError("a nested value is not an attribute value")
    if kind == "int":
        return _int(value)
    if kind == "float":
        return _float(value)
    if kind == "bool":
        return _bool(value)
    if kind == "date":
        return normalize.date(value).isoformat()
    text = normalize.text(str(value))
    if not text:
        raise ValueError("empty")
    return text


def search_text(props: dict[str, Any]) -> str | None:
    """The string attributes of a record as one text, indexed for search."""
    words = [v for k, v in sorted(props.items()) if is_attribute(k) and isinstance(v, str)]
    return " ".join(words) or None
