"""Compile a scoring definition into Splink settings (comparisons, blocking, prior).

Levels are built from Splink's own comparison-level library so the same model runs on any
Splink backend (DuckDB here, Spark for data that outgrows one machine). Term-frequency
adjustments are off on purpose: a pair's score then depends on the two records and the model
only, which is what makes incremental scoring equal a full re-score.
"""

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from graph.identity.scoring.definition import Comparison, ScoringRules
from graph.identity.scoring.table import UID

__all__ = ["blocking_rule", "comparison", "settings"]


def _null(*columns: str) -> cll.CustomLevel:
    side = [" AND ".join(f'"{c}_{s}" IS NULL' for c in columns) for s in ("l", "r")]
    level = cll.CustomLevel(f"({side[0]}) OR ({side[1]})", label_for_charts="missing")
    level.configure(is_null_level=True)
    return level


def _jw(column: str, band: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {band}'


def _missing_one(column: str) -> str:
    return f'("{column}_l" IS NULL OR "{column}_r" IS NULL)'


def _present(column: str) -> str:
    return f'("{column}_l" IS NOT NULL AND "{column}_r" IS NOT NULL)'


def _name(c: Comparison) -> list[Any]:
    first, last = c.columns
    top = c.jaro_winkler[0]
    levels: list[Any] = [
        _null(first, last),
        cll.And(cll.ExactMatchLevel(first), cll.ExactMatchLevel(last)).configure(label_for_charts="exact"),
        cll.ColumnsReversedLevel(first, last, symmetrical=True).configure(label_for_charts="first and last swapped"),
    ]
    for band in c.jaro_winkler:
        both = cll.And(cll.JaroWinklerLevel(first, band), cll.JaroWinklerLevel(last, band))
        levels.append(both.configure(label_for_charts=f"both Jaro-Winkler >= {band}"))
    # A record with one name part only (the other missing) that agrees: weaker than both, and
    # kept apart from a pair whose first names are present and differ (two people of a household).
    partial = f"({_missing_one(first)} AND {_jw(last, top)}) OR ({_missing_one(last)} AND {_jw(first, top)})"
    levels.append(cll.CustomLevel(partial, label_for_charts=f"one part missing, the other >= {top}"))
    # Both present, only one agrees: the surname of a relative, a nickname, a married name.
    # Trained on its own, so a shared surname at a shared address does not pass for one person.
    surname = f"{_present(first)} AND {_jw(last, top)}"
    levels.append(cll.CustomLevel(surname, label_for_charts="same surname, first names differ"))
    given = f"{_present(last)} AND {_jw(first, top)}"
    levels.append(cll.CustomLevel(given, label_for_charts="same first name, surnames differ"))
    return levels


def _address(c: Comparison) -> list[Any]:
    """Street and postcode as one comparison: they are one fact (where someone lives), so
    scoring them apart would count a shared address twice."""
    street, postcode = c.columns
    band = c.jaro_winkler[0]
    close_street = _jw(street, band)
    close_postcode = f'damerau_levenshtein("{postcode}_l", "{postcode}_r") <= {c.edits}'
    exact_street, exact_postcode = (f'"{x}_l" = "{x}_r"' for x in (street, postcode))
    return [
        _null(street, postcode),
        cll.CustomLevel(f"{exact_street} AND {exact_postcode}", label_for_charts="exact"),
        cll.CustomLevel(f"{close_street} AND {close_postcode}", label_for_charts="both close (a typo in either)"),
        cll.CustomLevel(
            f"({exact_postcode} AND {_missing_one(street)}) OR ({exact_street} AND {_missing_one(postcode)})",
            label_for_charts="one part missing, the other exact",
        ),
        cll.CustomLevel(f"{exact_postcode} OR {close_street}", label_for_charts="one part agrees, the other differs"),
    ]


def _date(c: Comparison) -> list[Any]:
    (d,) = c.columns

    def part(side: str, start: int, length: int) -> str:
        return f'substr("{d}_{side}", {start}, {length})'

    y, m, day = (
        (part("l", 1, 4), part("r", 1, 4)),
        (part("l", 6, 2), part("r", 6, 2)),
        (part("l", 9, 2), part("r", 9, 2)),
    )
    transposed = f"{y[0]} = {y[1]} AND {m[0]} = {day[1]} AND {day[0]} = {m[1]}"
    same = [f"{a} = {b}" for a, b in (y, m, day)]
    one_off = " OR ".join(f"({same[i]} AND {same[j]})" for i, j in ((0, 1), (0, 2), (1, 2)))
    return [
        cll.NullLevel(d),
        cll.ExactMatchLevel(d).configure(label_for_charts="exact"),
        cll.CustomLevel(transposed, label_for_charts="day and month transposed"),
        cll.CustomLevel(one_off, label_for_charts="one component off"),
    ]


def _code(c: Comparison) -> list[Any]:
    (column,) = c.columns
    levels: list[Any] = [cll.NullLevel(column), cll.ExactMatchLevel(column).configure(label_for_charts="exact")]
    if c.edits:
        levels.append(
            cll.DamerauLevenshteinLevel(column, c.edits).configure(label_for_charts=f"at most {c.edits} edit(s)")
        )
    return levels


def _text(c: Comparison) -> list[Any]:
    (column,) = c.columns
    levels: list[Any] = [cll.NullLevel(column), cll.ExactMatchLevel(column).configure(label_for_charts="exact")]
    for band in c.jaro_winkler:
        levels.append(cll.JaroWinklerLevel(column, band).configure(label_for_charts=f"Jaro-Winkler >= {band}"))
    return levels


_LEVELS = {"name": _name, "address": _address, "date": _date, "code": _code, "text": _text}


def comparison(c: Comparison) -> ComparisonCreator:
    levels = [*_LEVELS[c.kind](c), cll.ElseLevel().configure(label_for_charts="different")]
    return cl.CustomComparison(comparison_levels=levels, output_column_name=c.name, comparison_description=c.kind)


def blocking_rule(columns: list[str]) -> BlockingRuleCreator:
    return block_on(*columns)


def settings(rules: ScoringRules) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UID,
        comparisons=[comparison(c) for c in rules.comparisons],
        # One prediction rule per blocking key column (null when the block is over max_block).
        blocking_rules_to_generate_predictions=[block_on(kind) for kind in rules.block_kinds],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        em_convergence=0.001,
        max_iterations=25,
    )
