"""Probabilistic matching: a Fellegi-Sunter model (Splink on DuckDB) scores candidate pairs.

definition (what to compare, from the rules file) -> compile (Splink settings) -> engine
(train, predict) -> store (versioned models in Neo4j) -> score (pairs -> SCORED_LINK and
POSSIBLE_MATCH edges) -> review (the steward queue) and waterfall (why a pair scored so).

Nothing is imported here: rules.py needs the definition without pulling in Splink.
"""
