"""JSON request bodies (`/graphql`, `/events`, websocket messages), refused with one error type.

`json.loads` raises more than `JSONDecodeError` on hostile input: `RecursionError` for nesting
past the interpreter's limit, `UnicodeDecodeError` for bytes that are not UTF-8, `ValueError` for
a number too long to convert; a number too big for a float reads as infinity. And an escaped
unpaired surrogate (`"\\ud800"`) parses into a string that nothing can encode: the driver, a hash
or a log line fails on it later, deep in a request. Strawberry and `/events` turn
`JSONDecodeError` into a 400, so everything becomes one.
"""

import json
import re
from typing import Any

from loaders.readers import finite_float

__all__ = ["decode", "message"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


def decode(data: str | bytes) -> Any:
    """The parsed body; `json.JSONDecodeError` with a plain reason for anything that is not JSON text."""
    try:
        value = json.loads(data, parse_float=finite_float)
        if _has_surrogate_escape(data) and not _encodable(value):
            raise _refused("an unpaired surrogate escape is no text")
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise _refused("nested too deeply") from None
    except ValueError as exc:  # UnicodeDecodeError included: the bytes are not UTF-8
        raise _refused(f"not JSON text ({type(exc).__name__})") from None
    return value


def message(data: str | bytes) -> dict[str, Any]:
    """A graphql-transport-ws message: an object whose `id` is text and, for `subscribe`, whose
    payload is an object with a text query. Strawberry indexes into messages unchecked and catches
    only KeyError, so a TypeError from any other shape dropped the connection with a traceback."""
    value = decode(data)
    if not isinstance(value, dict) or not isinstance(value.get("id", ""), str):
        raise _refused("expected a graphql-transport-ws message object")
    if value.get("type") == "subscribe":
        payload = value.get("payload")
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("query"), str)
            and isinstance(payload.get("variables"), dict | None)
            and isinstance(payload.get("operationName"), str | None)
        ):
            raise _refused("expected a subscribe payload {query, variables, operationName}")
    return value


def _has_surrogate_escape(data: str | bytes) -> bool:
    # Raw UTF-8 cannot carry a surrogate, only an escape can: most bodies skip the walk.
    if isinstance(data, bytes):
        return _SURROGATE_ESCAPE_BYTES.search(data) is not None
    return _SURROGATE_ESCAPE.search(data) is not None


def _encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refused(reason: str) -> json.JSONDecodeError:
    # Only the reason reaches the caller: no document, no position.
    return json.JSONDecodeError(reason, "", 0)
