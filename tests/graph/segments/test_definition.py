"""Segment definitions: the allow-list refuses what it does not know, and compiled text never
contains a caller value (only generated parameter names)."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.segments import SegmentDefinition, SegmentError, parse
from graph.segments.compile import compile_count, compile_page

HOSTILE = [
    "x' OR 1=1 //",
    "}) MATCH (n) DETACH DELETE n //",
    "`; CALL dbms.killQueries()",
    "$after",
    "p.restricted IS NULL OR true",
]


@pytest.mark.parametrize(
    "bad",
    [
        {"where": {"trait": "order_count) OR (true", "op": "gt", "value": 1}},
        {"where": {"trait": "order_count", "op": "=~", "value": ".*"}},
        {"where": {"golden": "email", "op": "eq", "value": "a@b.c"}},  # not a segmentable field
        {"where": {"has_identifier": "email` OR true"}},
        {"where": {"behaviour": {"channel": "web' OR 1=1", "max": 0}}},
        {"where": {"behaviour": {"channel": "web"}}},  # neither min nor max
        {"where": {"trait": "order_count", "op": "gt", "value": 1, "cypher": "RETURN 1"}},
        {"where": {"and": []}},
        {"where": {"trait": "order_count", "op": "in", "value": 3}},
        {"where": {"trait": "order_count", "op": "exists", "value": 3}},
        {"where": {"trait": "order_count", "op": "gt"}},
        {
            "where": {"trait": "lifecycle", "op": "eq", "value": "new"},
            "consent": {"purpose": "x) OR (1", "channel": "e"},
        },
        {"where": {"not": {"consent": {"purpose": "marketing'}) RETURN 1 //", "channel": "email"}}}},
        {"where": {"consent": {"purpose": "marketing"}}},  # a channel too
        {"where": {"organization": "name} RETURN 1 //", "op": "eq", "value": "x"}},
        {"where": {"organization": "revenue", "op": "gt", "value": 1}},  # not an organization field
        {"where": {"household": {"min_size": 3, "max_size": 2}}},
        {"where": {"household": {"min_size": 0}}},
        {"where": {"household": {"size": 2}}},
        {"where": {"consent": {"purpose": "marketing", "channel": "email", "status": "denied"}}},
    ],
)
def test_the_allow_list_refuses(bad: dict[str, Any]) -> None:
    with pytest.raises(SegmentError):
        parse(bad)


def test_too_many_conditions_are_refused() -> None:
    wide = {"where": {"or": [{"and": [{"trait": "order_count", "op": "gt", "value": i}] * 10} for i in range(11)]}}
    with pytest.raises(SegmentError, match="at most 100"):
        parse(wide)


def _tree(value: Any) -> dict[str, Any]:
    return {
        "where": {
            "and": [
                {"golden": "city", "op": "eq", "value": value},
                {"not": {"trait": "lifecycle", "op": "in", "value": [value, "lapsed"]}},
                {"or": [{"has_identifier": "email"}, {"behaviour": {"channel": "web", "min": 1, "within_days": 30}}]},
            ]
        }
    }


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)))
def test_values_never_reach_the_text(value: str) -> None:
    reference = compile_page(parse(_tree("Leeds")))
    compiled = compile_page(parse(_tree(value)))
    assert compiled.text == reference.text
    assert compiled.params["v0"] == value
    assert compile_count(parse(_tree(value))).text == compile_count(parse(_tree("Leeds"))).text


def test_every_allowed_name_compiles_to_a_fixed_fragment() -> None:
    from graph.segments.definition import GOLDEN_FIELDS, TRAIT_FIELDS

    for name in TRAIT_FIELDS:
        text = compile_count(SegmentDefinition.model_validate({"where": {"trait": name, "op": "exists"}})).text
        assert f"p.trait_{name} IS NOT NULL" in text
    for name in GOLDEN_FIELDS:
        text = compile_count(SegmentDefinition.model_validate({"where": {"golden": name, "op": "missing"}})).text
        assert f"p.{name} IS NULL" in text


@pytest.mark.parametrize(
    ("bounds", "form"),
    [
        ({"max": 0}, "NOT EXISTS {"),  # "no web visit in 180 days" stops at the first visit
        ({"min": 1}, "EXISTS {"),
        ({"min": 2}, "COUNT {"),
        ({"min": 1, "max": 3}, "COUNT {"),
    ],
)
def test_behaviour_takes_the_cheapest_form_of_its_shape(bounds: dict[str, int], form: str) -> None:
    definition = parse({"where": {"behaviour": {"channel": "web", "within_days": 180} | bounds}})
    compiled = compile_count(definition)
    assert form in compiled.text and "web" not in compiled.text and "180" not in compiled.text
    assert ("NOT EXISTS" in compiled.text) == (bounds == {"max": 0})
    assert "t.type" not in compiled.text  # no type given: no filter on it
    assert "web" in compiled.params.values()
    # Only a lower bound: one comparison, no "never" upper bound for the planner to evaluate.
    assert ("} <= $" in compiled.text) == ("max" in bounds and bounds["max"] > 0)


def test_a_consent_condition_takes_its_purpose_and_channel_as_parameters() -> None:
    definition = parse({"where": {"or": [{"consent": {"purpose": "marketing", "channel": "e-mail  news"}}]}})
    compiled = compile_count(definition)
    assert "marketing" not in compiled.text and "news" not in compiled.text
    # Spaces collapsed as statements are stored (graph.privacy.consent), so the two compare equal.
    assert sorted(compiled.params.values()) == ["e-mail news", "marketing"]


def test_organization_and_household_values_are_parameters() -> None:
    definition = parse(
        {
            "where": {
                "and": [
                    {"organization": "domain", "op": "eq", "value": "acme.example"},
                    {"household": {"min_size": 2, "max_size": 7}},
                ]
            }
        }
    )
    compiled = compile_count(definition)
    assert "acme" not in compiled.text and " 7" not in compiled.text and "o.domain = $" in compiled.text
    assert {"acme.example", 2, 7} <= set(compiled.params.values())
