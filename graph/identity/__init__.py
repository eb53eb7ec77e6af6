"""Identity resolution: records linked by strong identifiers become stable unified profiles."""

from graph.identity import explain, export, steward
from graph.identity.resolve import ResolveReport, resolve
from graph.identity.rules import MatchRules, RulesError, load_rules

__all__ = ["MatchRules", "ResolveReport", "RulesError", "explain", "export", "load_rules", "resolve", "steward"]
