"""What a document may cost before it runs: checked in order of cost to check.

1. Counts over the parsed document, linear in its size (the parser already capped its tokens):
   fragment definitions and spreads.
2. Introspection by role (`C360_API_INTROSPECTION`): `__schema` and `__type` only for the
   configured role and above.
3. One memoized walk (resolvers/cost.py) per operation: depth, aliases and the static cost.
4. GraphQL's own validation, cached per document (a front end sends the same few).

Each step refuses with a GRAPHQL_VALIDATION_FAILED error that says which limit and how to stay
under it; nothing after a refusal runs. Steps 1 to 3 come first so that a hostile document never
reaches a walker that could take long on the event loop.
"""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    visit,
)
from graphql.language import Visitor
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.graphql import OperationType

from resolvers.cost import measure
from resolvers.scopes import Scope

__all__ = ["MAX_FRAGMENTS", "MAX_SPREADS", "QueryGuard"]

MAX_FRAGMENTS = 100
MAX_SPREADS = 500
CACHE_SIZE = 512
_INTROSPECTION = frozenset({"__schema", "__type"})


@lru_cache(maxsize=CACHE_SIZE)
def _validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate_document(schema, document, rules)


class _Census(Visitor):
    """One pass over the document as written (spreads are not followed)."""

    def __init__(self) -> None:
        super().__init__()
        self.fragments = 0
        self.spreads = 0
        self.introspection = False

    def enter_fragment_definition(self, *_: Any) -> None:
        self.fragments += 1

    def enter_fragment_spread(self, *_: Any) -> None:
        self.spreads += 1

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in _INTROSPECTION:
            self.introspection = True


class QueryGuard(SchemaExtension):
    """Refuses documents over the limits in the request context's `config`, and validates the rest."""

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        assert document is not None
        errors = self._refusal(document)
        if errors is None:
            rules = tuple(execution.validation_rules)
            errors = list(_validate(execution.schema._schema, document, rules))
        # Set (even when empty): strawberry then skips its own, uncached validation.
        execution.pre_execution_errors = errors
        yield

    def _refusal(self, document: DocumentNode) -> list[GraphQLError] | None:
        execution = self.execution_context
        context = execution.context
        config = context.config
        census = _Census()
        visit(document, census)
        if census.fragments > MAX_FRAGMENTS:
            return [GraphQLError(f"The document defines {census.fragments} fragments; at most {MAX_FRAGMENTS}.")]
        if census.spreads > MAX_SPREADS:
            return [GraphQLError(f"The document spreads fragments {census.spreads} times; at most {MAX_SPREADS}.")]
        if census.introspection and not context.may_introspect:
            return [GraphQLError("Introspection (__schema, __type) is not allowed for this caller.")]
        reads = execution.operation_type in (OperationType.QUERY, OperationType.SUBSCRIPTION)
        if reads and not context.principal.can(Scope.READ):
            return [GraphQLError("This key has no read scope: it may only send what its scopes allow.")]
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            found = measure(execution.schema._schema, document, definition, execution.variables, config.max_page_size)
            if found.depth > config.max_depth:
                return [GraphQLError(f"The query exceeds the maximum depth of {config.max_depth} ({found.depth}).")]
            if found.aliases > config.max_aliases:
                return [
                    GraphQLError(f"{found.aliases} aliases (fragments spread included); at most {config.max_aliases}.")
                ]
            if found.cost > config.max_cost:
                return [
                    GraphQLError(
                        f"The query could return about {_round(found.cost)} fields; at most {config.max_cost}. "
                        "Ask for smaller pages (`first`) or fewer nested lists: a list without `first` counts "
                        f"as {config.max_page_size} items."
                    )
                ]
        return None


def _round(cost: int) -> str:
    return f"{cost:,}" if cost < 10**12 else f"10^{len(str(cost)) - 1}"
