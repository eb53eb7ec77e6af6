"""The fragment catalog: every piece of Cypher text a segment query can be made of.

This is the one place where c360 composes Cypher at run time. The compiler picks fragments from
these fixed tables by allow-listed names and fills in only parameter names it generates itself
(`$v0`, `$v1`, ...); no caller value is ever part of the text.
"""

from types import MappingProxyType

from graph.segments.definition import GOLDEN_FIELDS, ORGANIZATION_FIELDS, TRAIT_FIELDS

__all__ = [
    "ATTRIBUTE",
    "BEHAVIOUR",
    "BEHAVIOUR_ANY",
    "BEHAVIOUR_FILTERS",
    "BEHAVIOUR_MATCH",
    "BEHAVIOUR_NONE",
    "COMPARE",
    "CONSENT_GRANTED",
    "COUNT",
    "HAS_IDENTIFIER",
    "HOUSEHOLD",
    "HOUSEHOLD_FILTERS",
    "ORGANIZATION",
    "PAGE",
    "PROPERTIES",
    "SCOPE_ALL",
    "SCOPE_PIDS",
]

# Profile property per allow-listed name: traits are `trait_*`, golden values are the field itself.
PROPERTIES = MappingProxyType(
    {f"trait:{name}": f"p.trait_{name}" for name in TRAIT_FIELDS}
    | {f"golden:{name}": f"p.{name}" for name in GOLDEN_FIELDS}
    | {f"organization:{name}": f"o.{name}" for name in ORGANIZATION_FIELDS}
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

# Behaviour: the touchpoint filters given (channel, type, since) joined by AND; the shape of the
# condition picks the form. "None in the window" is NOT EXISTS and "at least one" is EXISTS, both
# stopping at the first touchpoint; other bounds count distinct touchpoints (a touchpoint shared
# by two records of one profile counts once).
BEHAVIOUR_MATCH = "MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint){where}"
BEHAVIOUR_FILTERS = MappingProxyType(
    {"channel": "t.channel = {value}", "type": "t.type = {value}", "since": "t.at >= {value}"}
)
BEHAVIOUR = "{low} <= COUNT {{ {match} RETURN DISTINCT t }} <= {high}"
# Only a lower bound: one comparison, the form a developer writes by hand (an upper bound of
# "never" cost the planner a second comparison per profile; bench/segments.py measured 1.8x).
BEHAVIOUR_AT_LEAST = "COUNT {{ {match} RETURN DISTINCT t }} >= {low}"
BEHAVIOUR_NONE = "NOT EXISTS {{ {match} }}"
BEHAVIOUR_ANY = "EXISTS {{ {match} }}"

# Organization: the employer or a parent company of it (five levels at most: a group's depth,
# and a bound on a cyclic SUBSIDIARY_OF a source may carry), employment not ended by $today
# (`until` compared as ISO text: sources give dates or datetimes).
ORGANIZATION = (
    "EXISTS {{ MATCH (p)-[:HAS_RECORD]->(:Customer)-[w:WORKS_AT]->(:Organization)"
    "-[:SUBSIDIARY_OF*0..5]->(o:Organization)"
    " WHERE (w.until IS NULL OR toString(w.until) >= {today}) AND {compare} }}"
)
HOUSEHOLD = "EXISTS {{ MATCH (p)-[:IN_HOUSEHOLD]->(h:Household){where} }}"
HOUSEHOLD_FILTERS = MappingProxyType({"min_size": "h.size >= {value}", "max_size": "h.size <= {value}"})

# Consent: the profile's statements (on its records as loaded, set on it, or set on a profile
# since merged into it: privacy_consent_statements), the latest for the purpose and channel
# (by `at`, then when recorded, then uid: graph.privacy.consent's order), granted. No statement
# is no consent: the list is empty, so the comparison is false (and `not` makes it true).
CONSENT_GRANTED = (
    "COLLECT {{ CALL (p) {{ MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAS_CONSENT]->(k:Consent) RETURN k"
    " UNION MATCH (k:Consent {{pid: p.pid}}) RETURN k"
    " UNION MATCH (a:ProfileAlias)-[:ALIAS_OF]->(p) MATCH (k:Consent {{pid: a.pid}}) RETURN k }}"
    " WITH k WHERE k.purpose = {purpose} AND k.channel = {channel}"
    " RETURN k.status ORDER BY k.at DESC,"
    " coalesce(k.recorded_at, k.loaded_at, datetime('0001-01-01T00:00:00Z')) DESC, k.uid DESC LIMIT 1 }}"
    " = ['granted']"
)

# Restricted profiles are never members: the scope says so before any condition.
SCOPE_ALL = "MATCH (p:Profile) WHERE p.restricted IS NULL AND ({where})"
SCOPE_PIDS = "UNWIND $pids AS pid MATCH (p:Profile {{pid: pid}}) WHERE p.restricted IS NULL AND ({where})"
COUNT = " RETURN count(p) AS size"
PAGE = " WITH p WHERE $after IS NULL OR p.pid > $after RETURN p.pid AS pid ORDER BY pid LIMIT $limit"
