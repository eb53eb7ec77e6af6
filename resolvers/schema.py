"""The GraphQL schema with its limits, caches and metrics; and its SDL."""

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache
from strawberry.types import ExecutionContext

from resolvers.config import ApiConfig
from resolvers.errors import is_expected
from resolvers.guard import QueryGuard
from resolvers.metrics import MetricsExtension
from resolvers.mutation import Mutation
from resolvers.pii import PiiAudit
from resolvers.query import Query
from resolvers.subscription import Subscription

__all__ = ["build_schema", "sdl"]

log = logging.getLogger("c360.api")

CACHE_SIZE = 512
"""Distinct query documents whose parse and validation results are kept (front ends send few)."""


class _Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Callers' mistakes are answered, not logged; only unexpected failures reach the log.
        for error in errors:
            if not is_expected(error):
                log.error("unexpected error at %s", error.path, exc_info=error.original_error)


def build_schema(config: ApiConfig) -> strawberry.Schema:
    # Depth, aliases, cost and introspection are checked by QueryGuard (one memoized walk, before
    # GraphQL's own validation, which it caches); the token cap applies while parsing.
    extensions: list[Any] = [
        MetricsExtension,
        PiiAudit,
        lambda: MaxTokensLimiter(max_token_count=config.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        QueryGuard,
    ]
    return _Schema(query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions)


def sdl() -> str:
    """The schema as SDL, as committed in schema.graphql."""
    return _Schema(query=Query, mutation=Mutation, subscription=Subscription).as_str() + "\n"
