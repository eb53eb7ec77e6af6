"""Errors callers may see, and the one place that decides what every other error looks like.

Every error in a response has a message and `extensions.code`. Errors raised on purpose
(`ClientError` and its kinds, permission refusals, GraphQL syntax and validation errors) keep
their message; anything else is a bug or an outage and is masked outside debug mode, with the
details logged on the server.
"""

from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

__all__ = ["BadInput", "ClientError", "Forbidden", "bounded_text", "is_expected", "shape"]

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, TransientError)


class ClientError(GraphQLError):
    """An error the caller caused and can fix; its message is always shown."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": self.code})


class BadInput(ClientError):
    code = "BAD_USER_INPUT"


class Forbidden(ClientError):
    code = "FORBIDDEN"


def is_expected(error: GraphQLError) -> bool:
    """True for errors raised on purpose: syntax, validation, permissions, bad input.

    Scalars reject bad variable values with ValueError/TypeError before any resolver runs
    (no path yet); those are the caller's doing too.
    """
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    return error.path is None and isinstance(original, (ValueError, TypeError))


def shape(errors: list[GraphQLError], *, debug: bool) -> list[GraphQLError]:
    """Every error with a code; unexpected ones masked unless in debug mode.

    Applied to the response rather than in a schema extension, so that parse and validation
    errors, which end an operation before extensions see a result, get the same shape.
    """
    return [_shape(error, debug) for error in errors]


def _shape(error: GraphQLError, debug: bool) -> GraphQLError:
    if is_expected(error):
        code = (error.extensions or {}).get("code") or _request_code(error)
        return _with_code(error, error.message, code)
    if isinstance(error.original_error, _UNAVAILABLE):
        return _with_code(error, "The graph database is unavailable; try again shortly.", "SERVICE_UNAVAILABLE")
    return _with_code(error, error.message if debug else "Internal server error.", "INTERNAL_SERVER_ERROR")


def _request_code(error: GraphQLError) -> str:
    """Codes for errors GraphQL itself raised: in the document, in variables, or in a field's input."""
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED" if error.path is None else "BAD_USER_INPUT"


def _with_code(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code},
    )


MAX_TEXT = 1000


def bounded_text(name: str, value: str | None) -> str | None:
    """Free text from a caller (a reason, a value), refused when it is unreasonably long."""
    if value is not None and len(value) > MAX_TEXT:
        raise BadInput(f"{name} is longer than {MAX_TEXT} characters")
    return value
