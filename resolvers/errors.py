"""Errors callers may see, and the one place that decides what every other error looks like.

Every error in a response has a message and `extensions.code`. Errors raised on purpose
(`ClientError` and its kinds, permission refusals, GraphQL syntax and validation errors) keep
their message; anything else is a bug or an outage and is masked outside debug mode, with the
details logged on the server.
"""

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from strawberry.extensions import SchemaExtension

__all__ = ["BadInput", "ClientError", "ErrorShape", "Forbidden", "NotFound", "is_expected"]

log = logging.getLogger("c360.api")

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, TransientError)


class ClientError(GraphQLError):
    """An error the caller caused and can fix; its message is always shown."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": self.code})


class BadInput(ClientError):
    code = "BAD_USER_INPUT"


class NotFound(ClientError):
    code = "NOT_FOUND"


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


class ErrorShape(SchemaExtension):
    """Give every error a code, and mask unexpected ones unless the schema runs in debug mode."""

    def __init__(self, *, debug: bool) -> None:
        self.debug = debug

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self._shape(error) for error in result.errors]

    def _shape(self, error: GraphQLError) -> GraphQLError:
        if is_expected(error):
            code = (error.extensions or {}).get("code") or _request_code(error)
            return _with_code(error, error.message, code)
        if isinstance(error.original_error, _UNAVAILABLE):
            return _with_code(error, "The graph database is unavailable; try again shortly.",
                              "SERVICE_UNAVAILABLE")
        message = error.message if self.debug else "Internal server error."
        return _with_code(error, message, "INTERNAL_SERVER_ERROR")


def _request_code(error: GraphQLError) -> str:
    """Codes for errors GraphQL itself raised: in the document, in variables, or in a field's input."""
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED" if error.path is None else "BAD_USER_INPUT"


def _with_code(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, extensions={"code": code})
