"""The relationship kinds relatedProfiles may follow, and the graph relationships behind them.

Callers pick kinds from a GraphQL enum; only this allow-list turns them into relationship type
names, which reach Cypher as a parameter compared with type(r), never as query text.
"""

from enum import Enum

import strawberry

__all__ = ["RelationKind", "kinds_of", "relationship_types"]


@strawberry.enum(description="How two profiles can be related.")
class RelationKind(Enum):
    HOUSEHOLD = "household"
    ACCOUNT = "account"
    DEVICE = "device"
    EMPLOYER = "employer"
    ORGANIZATION = "organization"


_TYPES: dict[RelationKind, frozenset[str]] = {
    RelationKind.HOUSEHOLD: frozenset(),  # through IN_HOUSEHOLD, handled by its own query branch
    RelationKind.ACCOUNT: frozenset({"HOLDS"}),
    RelationKind.DEVICE: frozenset({"USES_DEVICE"}),
    RelationKind.EMPLOYER: frozenset({"WORKS_AT"}),
    RelationKind.ORGANIZATION: frozenset({"WORKS_AT", "MEMBER_OF"}),
}

_KIND_OF_TYPE = {
    "HOLDS": RelationKind.ACCOUNT,
    "USES_DEVICE": RelationKind.DEVICE,
    "WORKS_AT": RelationKind.EMPLOYER,
    "MEMBER_OF": RelationKind.ORGANIZATION,
    "IN_HOUSEHOLD": RelationKind.HOUSEHOLD,
}


def relationship_types(kinds: list[RelationKind]) -> tuple[frozenset[str], bool]:
    """The relationship types to follow and whether to follow households."""
    types: frozenset[str] = frozenset().union(*(_TYPES[kind] for kind in kinds))
    return types, RelationKind.HOUSEHOLD in kinds


def kinds_of(types: list[str]) -> list[RelationKind]:
    return sorted({_KIND_OF_TYPE[t] for t in types if t in _KIND_OF_TYPE}, key=lambda k: k.value)
