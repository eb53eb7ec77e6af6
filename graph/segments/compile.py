"""Compile a validated segment definition to one parameterized Cypher query."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from graph.attributes import property_name
from graph.segments import fragments as f
from graph.segments.definition import (
    And,
    Attribute,
    BehaviourNode,
    Condition,
    ConsentNode,
    Golden,
    HasIdentifier,
    HouseholdNode,
    Not,
    Or,
    Organization,
    SegmentDefinition,
    Trait,
)

__all__ = ["Compiled", "compile_count", "compile_page"]


@dataclass
class Compiled:
    text: str
    params: dict[str, Any] = field(default_factory=dict)


class _Compiler:
    def __init__(self, now: datetime) -> None:
        self.params: dict[str, Any] = {}
        self.now = now

    def param(self, value: Any) -> str:
        name = f"v{len(self.params)}"
        self.params[name] = value
        return "$" + name

    def compare(self, node: Trait | Golden | Attribute | Organization, prop: str) -> str:
        """`prop` against the node's value (a parameter; none for exists and missing)."""
        value = "" if node.op in ("exists", "missing") else self.param(node.value)
        return f.COMPARE[node.op].format(prop=prop, value=value)

    def node(self, node: Condition) -> str:
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.all) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.any) + ")"
        if isinstance(node, Not):
            # NOT over a comparison with a missing property is null in Cypher: coalesce makes it true.
            return "(NOT coalesce(" + self.node(node.negate) + ", false))"
        if isinstance(node, Trait | Golden):
            key = f"trait:{node.trait}" if isinstance(node, Trait) else f"golden:{node.golden}"
            return "(" + self.compare(node, f.PROPERTIES[key]) + ")"
        if isinstance(node, Attribute):
            # The property's name is a parameter too: `p[$v0]`, never part of the text.
            return "(" + self.compare(node, f.ATTRIBUTE.format(key=self.param(property_name(node.attribute)))) + ")"
        if isinstance(node, HasIdentifier):
            return f.HAS_IDENTIFIER.format(kind=self.param(node.has_identifier))
        if isinstance(node, BehaviourNode):
            b = node.behaviour
            since = b.since if b.since is not None else None
            if b.within_days is not None:
                since = self.now - timedelta(days=b.within_days)
            given = {"channel": b.channel, "type": b.type, "since": since}
            filters = [f.BEHAVIOUR_FILTERS[k].format(value=self.param(v)) for k, v in given.items() if v is not None]
            match = f.BEHAVIOUR_MATCH.format(where=" WHERE " + " AND ".join(filters) if filters else "")
            low = b.min or 0
            if b.max == 0:
                return f.BEHAVIOUR_NONE.format(match=match)
            if low == 1 and b.max is None:
                return f.BEHAVIOUR_ANY.format(match=match)
            if b.max is None:
                return f.BEHAVIOUR_AT_LEAST.format(match=match, low=self.param(low))
            return f.BEHAVIOUR.format(match=match, low=self.param(low), high=self.param(b.max))
        if isinstance(node, Organization):
            compare = self.compare(node, f.PROPERTIES[f"organization:{node.organization}"])
            return "(" + f.ORGANIZATION.format(today=self.param(self.now.date().isoformat()), compare=compare) + ")"
        if isinstance(node, HouseholdNode):
            bounds = {"min_size": node.household.min_size, "max_size": node.household.max_size}
            filters = [f.HOUSEHOLD_FILTERS[k].format(value=self.param(v)) for k, v in bounds.items() if v is not None]
            return "(" + f.HOUSEHOLD.format(where=" WHERE " + " AND ".join(filters) if filters else "") + ")"
        if isinstance(node, ConsentNode):
            # Stored statements are normalized so (graph.privacy.consent._label): spaces collapsed.
            purpose, channel = (" ".join(v.split()) for v in (node.consent.purpose, node.consent.channel))
            return "(" + f.CONSENT_GRANTED.format(purpose=self.param(purpose), channel=self.param(channel)) + ")"
        raise TypeError(f"unknown condition {type(node).__name__}")


def _where(definition: SegmentDefinition, now: datetime | None) -> tuple[str, dict[str, Any]]:
    compiler = _Compiler(now or datetime.now(UTC))
    return compiler.node(definition.where), compiler.params


def compile_count(definition: SegmentDefinition, *, pids: bool = False, now: datetime | None = None) -> Compiled:
    where, params = _where(definition, now)
    scope = f.SCOPE_PIDS if pids else f.SCOPE_ALL
    return Compiled(scope.format(where=where) + f.COUNT, params)


def compile_page(definition: SegmentDefinition, *, pids: bool = False, now: datetime | None = None) -> Compiled:
    """Members in pid order after `$after`, at most `$limit` (with `pids`: among `$pids`)."""
    where, params = _where(definition, now)
    scope = f.SCOPE_PIDS if pids else f.SCOPE_ALL
    return Compiled(scope.format(where=where) + f.PAGE, params)
