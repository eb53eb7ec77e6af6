"""The fragment catalog: every piece of Cypher text a segment query can be made of.

This is the one place where c360 composes Cypher at run time. The compiler picks fragments from
these fixed tables by allow-listed names and fills in only parameter names it generates itself
(`$v0`, `$v1`, ...); no caller value is ever part of the text.
"""

from types import MappingProxyType

from graph.segments.definition import GOLDEN_FIELDS, TRAIT_FIELDS

__all__ = [
    "ATTRIBUTE",
    "BEHAVIOUR",
    "COMPARE",
    "COUNT",
    "HAS_IDENTIFIER",
    "PAGE",
    "PROPERTIES",
    "SCOPE_ALL",
    "SCOPE_PIDS",
]

# Profile property per allow-listed name: traits are `trait_*`, golden values are the field itself.
PROPERTIES = MappingProxyType(
    {f"trait:{name}": f"p.trait_{name}" for name in TRAIT_FIELDS}
    | {f"golden:{name}": f"p.{name}" for name in GOLDEN_FIELDS}
)

# A custom attribute: the property key is a generated parameter holding `attr_<name>`.
ATTRIBUTE = "p[{key}]"

COMPARE = MappingProxyType(
    {
        "eq": "{prop} = {value}",
        "ne": "{prop} <> {value}",
        "gt": "{prop} > {value}",
        "gte": "{prop} >= {value}",
        "lt": "{prop} < {value}",
        "lte": "{prop} <= {value}",
        "in": "{prop} IN {value}",
        "exists": "{prop} IS NOT NULL",
        "missing": "{prop} IS NULL",
    }
)

HAS_IDENTIFIER = "EXISTS {{ (p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(:Identifier {{kind: {kind}}}) }}"

BEHAVIOUR = (
    "{low} <= COUNT {{ MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint) "
    "WHERE ({channel} IS NULL OR t.channel = {channel}) AND ({type} IS NULL OR t.type = {type}) "
    "AND ({since} IS NULL OR t.at >= {since}) RETURN DISTINCT t }} <= {high}"
)

# Restricted profiles are never members: the scope says so before any condition.
SCOPE_ALL = "MATCH (p:Profile) WHERE p.restricted IS NULL AND ({where})"
SCOPE_PIDS = "UNWIND $pids AS pid MATCH (p:Profile {{pid: pid}}) WHERE p.restricted IS NULL AND ({where})"
COUNT = " RETURN count(p) AS size"
PAGE = " WITH p WHERE $after IS NULL OR p.pid > $after RETURN p.pid AS pid ORDER BY pid LIMIT $limit"
