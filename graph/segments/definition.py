"""Segment definitions: a tree of AND / OR / NOT over allow-listed conditions, validated by pydantic.

Every name a caller may give (a trait, a golden field, an identifier kind, an operator, a
channel) is checked against an allow-list here, and the compiler (compile.py) maps each allowed
name to a fixed Cypher fragment; caller values only ever become query parameters.
"""

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.attributes import NAME as ATTRIBUTE_NAME

__all__ = [
    "GOLDEN_FIELDS",
    "IDENTIFIER_KINDS",
    "ORGANIZATION_FIELDS",
    "TRAIT_FIELDS",
    "And",
    "Attribute",
    "Behaviour",
    "Condition",
    "Consent",
    "ConsentNode",
    "Golden",
    "HasIdentifier",
    "Household",
    "HouseholdNode",
    "Not",
    "Or",
    "Organization",
    "SegmentDefinition",
    "Trait",
]

Op = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "exists", "missing"]
Scalar = str | int | float | bool
Label = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_ -]*$")]

TRAIT_FIELDS = (
    "order_count", "total_spend", "average_spend", "currency", "tenure_days", "recency_days", "frequency",
    "monetary", "r_score", "f_score", "m_score", "rfm", "lifecycle", "preferred_channel", "email_opens",
    "email_clicks", "web_visits", "sentiment", "sentiment_score", "p_alive", "expected_orders", "clv",
    "first_seen", "last_seen", "first_order_at", "last_order_at",
)  # fmt: skip
GOLDEN_FIELDS = ("first_name", "last_name", "birth_date", "gender", "city", "postcode", "country")
IDENTIFIER_KINDS = ("email", "phone", "login", "loyalty", "national_id", "cookie")
ORGANIZATION_FIELDS = ("name", "domain", "country")


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Compare(_Node):
    op: Op = "eq"
    value: Scalar | datetime | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value(self) -> Self:
        if self.op in ("exists", "missing"):
            if self.value is not None:
                raise ValueError(f"{self.op} takes no value")
        elif self.op == "in":
            if not isinstance(self.value, list) or not 1 <= len(self.value) <= 1000:
                raise ValueError("in takes a list of 1 to 1000 values")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"{self.op} takes one value")
        return self


class Trait(_Compare):
    trait: Literal[TRAIT_FIELDS]  # type: ignore[valid-type]


class Golden(_Compare):
    golden: Literal[GOLDEN_FIELDS]  # type: ignore[valid-type]


class Attribute(_Compare):
    """A custom attribute from a mapping (`attr_<name>` on the profile); dates compare as ISO text."""

    attribute: Annotated[str, Field(pattern=ATTRIBUTE_NAME.pattern)]


class Organization(_Compare):
    """An organization the person works at (a `WORKS_AT` without an end, or ending later), or a
    parent company of it up to five levels up (`SUBSIDIARY_OF`), whose field compares."""

    organization: Literal[ORGANIZATION_FIELDS]  # type: ignore[valid-type]


class Household(_Node):
    """In a household (c360's: shared address and surname, device or joint account) of at least
    `min_size` and at most `max_size` profiles; neither: in any household."""

    min_size: int | None = Field(None, ge=1, le=1000)
    max_size: int | None = Field(None, ge=1, le=1000)

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min_size is not None and self.max_size is not None and self.min_size > self.max_size:
            raise ValueError("min_size is above max_size")
        return self


class HouseholdNode(_Node):
    household: Household


class HasIdentifier(_Node):
    has_identifier: Literal[IDENTIFIER_KINDS]  # type: ignore[valid-type]


class Behaviour(_Node):
    """Touchpoints of a channel and/or type in the last `within_days` (or since `since`), at least
    `min` and at most `max` of them: "2 orders in 90 days" is {type: order, min: 2, within_days: 90};
    "no web visit in 180 days" is {channel: web, max: 0, within_days: 180}."""

    channel: Label | None = None
    type: Label | None = None
    min: int | None = Field(None, ge=0, le=1_000_000)
    max: int | None = Field(None, ge=0, le=1_000_000)
    within_days: int | None = Field(None, ge=1, le=36_500)
    since: datetime | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("behaviour needs min or max")
        if self.within_days is not None and self.since is not None:
            raise ValueError("give within_days or since, not both")
        return self


class And(_Node):
    all: list["Condition"] = Field(alias="and", min_length=1, max_length=50)


class Or(_Node):
    any: list["Condition"] = Field(alias="or", min_length=1, max_length=50)


class Not(_Node):
    negate: "Condition" = Field(alias="not")


class BehaviourNode(_Node):
    behaviour: Behaviour


class Consent(_Node):
    purpose: Label
    channel: Label


class ConsentNode(_Node):
    """Consent granted and in force for a purpose and channel, as a condition anywhere in the tree
    ("email or SMS consent", "no email consent"), by the rule of the definition's own `consent`
    and of contact selection: the latest statement per purpose and channel wins."""

    consent: Consent


Condition = (
    And
    | Or
    | Not
    | Trait
    | Golden
    | Attribute
    | HasIdentifier
    | BehaviourNode
    | ConsentNode
    | Organization
    | HouseholdNode
)


class SegmentDefinition(_Node):
    """A segment: the condition tree, and the consent every member must have (applied after the
    tree, with the same rule as contact selection: the latest statement per purpose and channel).
    A `consent` condition inside the tree applies that rule in the query itself, so it can sit
    under `or` and `not`."""

    where: Condition
    consent: Consent | None = None

    @model_validator(mode="after")
    def _size(self) -> Self:
        if _count(self.where) > 100:
            raise ValueError("a segment definition has at most 100 conditions")
        return self


def _count(node: Condition) -> int:
    if isinstance(node, And):
        return 1 + sum(_count(c) for c in node.all)
    if isinstance(node, Or):
        return 1 + sum(_count(c) for c in node.any)
    if isinstance(node, Not):
        return 1 + _count(node.negate)
    return 1


for _model in (And, Or, Not, SegmentDefinition):
    _model.model_rebuild()
