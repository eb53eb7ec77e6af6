"""What a query document asks for, measured before anything runs: depth, aliases and a static cost.

One walk per operation, with each fragment measured once and reused wherever it is spread. The
walkers this replaces (strawberry's depth and alias limiters) expanded every spread again, so a
1 KB document of fragments that each spread the next one twice took exponential time on the event
loop. Here the time is linear in the document; only the numbers grow, and they are what the
limits compare.

The cost estimates how many fields the answer can hold: every field counts one, and a field
that returns many objects multiplies what is under it by how many it may return: its `first` or
`limit` argument (from the document or its variables), the number of `ids`, or, when not given,
the largest page a caller may ask for. A connection's `edges` take the connection's `first`.
Introspection (`__schema`, `__type`) counts for aliases but not for depth or cost: its size is
the schema's, and whether it may run at all is decided by role.

The document need not be valid yet: unknown fields count one each and fragment cycles count
nothing (validation rejects both after this).
"""

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)
from graphql.type import GraphQLOutputType

__all__ = ["Measure", "measure"]

_Parent = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType | None
_SIZE_ARGUMENTS = ("first", "limit")
BOUNDED = {
    ("Profile", "golden"): 10,  # one per golden attribute
    ("GraphView", "nodes"): 1,  # already counted by `neighborhood(limit)`; a path has a few
    ("GraphView", "edges"): 1,
}
"""Lists without a size argument whose length is bounded by what they are."""


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: "Measure") -> "Measure":
        return Measure(max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost)


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    default_size: int,
) -> Measure:
    """The depth, aliases and cost of one operation of `document`."""
    return _Walker(schema, document, variables or {}, default_size).operation(operation)


class _Walker:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any], default_size: int
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.default_size = default_size
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.measured: dict[str, Measure] = {}
        self.open: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(operation.operation)
        return self.selections(operation.selection_set, root)

    def selections(self, selection_set: SelectionSetNode | None, parent: _Parent) -> Measure:
        total = Measure()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.type(condition.name.value, parent) if condition else parent
                total += self.selections(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Measure:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:  # unknown, or a cycle: validation says so later
            return Measure()
        self.open.add(name)
        try:
            found = self.selections(definition.selection_set, self.type(definition.type_condition.name.value, None))
        finally:
            self.open.discard(name)
        self.measured[name] = found
        return found

    def field(self, node: FieldNode, parent: _Parent) -> Measure:
        aliases = 1 if node.alias else 0
        name = node.name.value
        if name.startswith("__"):
            return Measure(0, aliases + self.selections(node.selection_set, None).aliases, 0)
        definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
        below = self.selections(node.selection_set, _unwrap(definition.type)[0] if definition else None)
        count = self.count(node, definition, parent) if definition else 1
        return Measure(1 + below.depth, aliases + below.aliases, 1 + count * below.cost)

    def count(self, node: FieldNode, definition: GraphQLField, parent: _Parent) -> int:
        """How many of what is under `node` the answer can hold."""
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        for name in _SIZE_ARGUMENTS:
            if name in definition.args:
                value = self.value(given[name]) if name in given else definition.args[name].default_value
                return value if isinstance(value, int) and value >= 0 else self.default_size
        if "ids" in given:
            value = self.value(given["ids"])
            return len(value) if isinstance(value, list) else self.default_size
        if not _unwrap(definition.type)[1] or parent is None:
            return 1
        if parent.name.endswith("Connection"):
            return 1  # edges: already multiplied by the connection's `first`
        return BOUNDED.get((parent.name, node.name.value), self.default_size)

    def value(self, node: ValueNode) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, ListValueNode):
            return list(node.values)
        return None

    def type(self, name: str, fallback: _Parent) -> _Parent:
        found = self.schema.get_type(name)
        if isinstance(found, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            return found
        return fallback


def _unwrap(output: GraphQLOutputType) -> tuple[_Parent, bool]:
    """The named type under non-null and list wrappers, and whether a list was among them."""
    many = False
    current: Any = output
    while isinstance(current, GraphQLNonNull | GraphQLList):
        many = many or isinstance(current, GraphQLList)
        current = current.of_type
    if isinstance(current, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
        return current, many
    return None, many
