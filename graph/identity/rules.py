"""Match rules as data: what users edit, validated, kept apart from how resolution uses them."""

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.identity.scoring.definition import ScoringRules

__all__ = [
    "DerivedKey",
    "FuzzyRule",
    "KindRule",
    "MatchRules",
    "People",
    "RulesError",
    "ScoringRules",
    "load_rules",
]

_ATTRIBUTES = ("first_name", "last_name", "full_name", "birth_date", "street", "city", "postcode", "country")


class RulesError(ValueError):
    pass


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindRule(_Rule):
    strength: Literal["strong", "weak"]
    cap: int = Field(ge=1, description="An identifier on more records than this is held out, whoever they are.")
    max_people: int | None = Field(
        None,
        ge=1,
        description="Held out when its records look like more people than this (see graph/identity/people.py); "
        "None: only the cap counts.",
    )


class People(_Rule):
    """How records sharing an identifier are told apart as different people."""

    surname_similarity: float = Field(
        0.85, gt=0, le=1, description="Jaro-Winkler similarity at which two surnames are taken as the same."
    )


class DerivedKey(_Rule):
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fields: list[Literal[_ATTRIBUTES]] = Field(min_length=1)  # type: ignore[valid-type]


class Conflicts(_Rule):
    attributes: list[Literal[_ATTRIBUTES]] = Field(default_factory=list)  # type: ignore[valid-type]
    identifier_kinds: list[str] = Field(default_factory=list)


class Survivorship(_Rule):
    source_priority: list[str] = Field(default_factory=list)
    order: list[Literal["source_priority", "most_recent", "most_frequent"]] = Field(
        default=["source_priority", "most_recent", "most_frequent"], min_length=1
    )


class Households(_Rule):
    address_and_surname: bool = True
    shared_device: bool = True
    joint_account: bool = True
    device_cap: int = Field(4, ge=2)
    account_cap: int = Field(6, ge=2)


class FuzzyRule(_Rule):
    block_on: list[Literal[_ATTRIBUTES]] = Field(min_length=1)  # type: ignore[valid-type]
    compare: Literal[_ATTRIBUTES]  # type: ignore[valid-type]
    threshold: float = Field(gt=0, le=1, description="Jaro-Winkler similarity to accept a link.")
    max_block: int = Field(50, ge=2, description="Larger blocks are too unspecific to compare.")


class MatchRules(_Rule):
    version: Literal[1] = 1
    kinds: dict[str, KindRule]
    derived: list[DerivedKey] = Field(default_factory=list)
    conflicts: Conflicts = Field(default_factory=Conflicts)
    survivorship: Survivorship = Field(default_factory=Survivorship)
    households: Households = Field(default_factory=Households)
    fuzzy: list[FuzzyRule] = Field(default_factory=list)
    people: People = Field(default_factory=People)
    enforce_caps: bool = Field(True, description="Off only to measure what the caps are worth.")
    scoring: ScoringRules | None = Field(None, description="Probabilistic matching; absent means off.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        missing = {d.kind for d in self.derived} - set(self.kinds)
        if missing:
            raise ValueError(f"derived kinds need a [kinds.X] entry: {sorted(missing)}")
        return self

    @property
    def strong(self) -> list[str]:
        return sorted(kind for kind, rule in self.kinds.items() if rule.strength == "strong")

    @property
    def blocks(self) -> dict[str, FuzzyRule]:
        """Fuzzy rules by the identifier kind that holds their blocking key."""
        return {f"block{i}": rule for i, rule in enumerate(self.fuzzy)}

    @property
    def linking(self) -> list[str]:
        """Kinds that can tie records together: strong identifiers and fuzzy blocks."""
        return sorted([*self.strong, *self.blocks])

    @property
    def scoring_on(self) -> ScoringRules | None:
        """The scoring rules when scoring is enabled."""
        return self.scoring if self.scoring is not None and self.scoring.enabled else None

    def holds_out(self, kind: str, records: int, people: int) -> bool:
        """Whether an identifier of `kind` on `records` records that look like `people` people stays out."""
        if not self.enforce_caps:
            return False
        rule = self.kinds[kind]
        return records > rule.cap or (rule.max_people is not None and people > rule.max_people)

    def caps(self) -> dict[str, int]:
        """Per linking kind, the most records one identifier may link (huge when caps are off)."""
        unlimited = 2**62
        caps = {k: (self.kinds[k].cap if self.enforce_caps else unlimited) for k in self.strong}
        return caps | {kind: rule.max_block for kind, rule in self.blocks.items()}


def load_rules(path: Path | None = None, **overrides: object) -> MatchRules:
    """The rules file at `path`, or the built-in default rules."""
    try:
        if path is None:
            text = resources.files(__package__).joinpath("default_rules.toml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return MatchRules.model_validate(tomllib.loads(text) | overrides)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RulesError(f"invalid match rules {path or '(built-in)'}: {exc}") from exc
