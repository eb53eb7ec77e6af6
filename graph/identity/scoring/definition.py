"""The scoring model as data: blocking rules and comparisons with their levels.

This is what a user edits (the `[scoring]` section of the rules file). It says *what* to
compare, never *how*: `compile.py` turns it into Splink settings, and training fills in the
m and u probabilities. Keeping the two apart lets the rules file stay readable and lets a
trained model be checked against the definition it came from.
"""

import re
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["ATTRIBUTE_COLUMNS", "Comparison", "ScoringRules"]

# Record attributes a comparison or blocking rule may name; any other column is read as the
# value of the record's identifier of that kind (national_id, email, ...).
ATTRIBUTE_COLUMNS = ("first_name", "last_name", "birth_date", "street", "city", "postcode", "country")
_COLUMN = r"^[a-z][a-z0-9_]*$"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Comparison(_Rule):
    """One comparison; its levels follow from its kind (strongest first, then 'else').

    - name: two columns (first, last). exact / first and last swapped / both Jaro-Winkler
      >= each band / one part missing, the other >= the first band / same surname, first
      names differ / same first name, surnames differ / else.
    - address: two columns (street, postcode), one fact, compared once. exact / both close
      (street Jaro-Winkler >= the band, postcode within `edits`) / one part missing, the other
      exact / one part agrees / else.
    - date: exact / day and month transposed / one component (year, month, day) off / else.
    - code: exact / at most `edits` Damerau-Levenshtein edits (a typo, swapped digits) / else;
      `edits = 0`: exact / else.
    - text: exact / Jaro-Winkler >= each band / else.
    """

    name: str = Field(pattern=_COLUMN)
    kind: Literal["name", "address", "date", "code", "text"]
    columns: list[str] = Field(min_length=1, max_length=2)
    jaro_winkler: list[float] = Field(default_factory=list)
    edits: int = Field(1, ge=0, le=3)

    @model_validator(mode="after")
    def _check(self) -> Self:
        for column in self.columns:
            if not re.fullmatch(_COLUMN, column):
                raise ValueError(f"column names are lower-case identifiers, got {column!r}")
        if (self.kind in ("name", "address")) != (len(self.columns) == 2):
            raise ValueError(
                "a 'name' comparison takes two columns (first, last), an 'address' two (street, postcode); "
                "other kinds take one"
            )
        if any(not 0 < t < 1 for t in self.jaro_winkler) or self.jaro_winkler != sorted(
            self.jaro_winkler, reverse=True
        ):
            raise ValueError("jaro_winkler bands are similarities in (0, 1), strongest first")
        if self.kind in ("name", "address") and not self.jaro_winkler:
            raise ValueError(f"a {self.kind!r} comparison needs at least one jaro_winkler band")
        if self.kind == "address" and not self.edits:
            raise ValueError("an 'address' comparison needs edits >= 1 (how far apart postcodes may be)")
        return self


class ScoringRules(_Rule):
    enabled: bool = Field(True, description="Score candidate pairs when a trained model exists.")
    link_threshold: float = Field(0.999, gt=0, lt=1, description="Match probability from which a pair links.")
    review_threshold: float = Field(0.80, gt=0, lt=1, description="Lower bound of the review band.")
    auto_train_records: int = Field(
        1000, ge=0, description="`c360 resolve` trains a model when none fits and this many records exist; 0: never."
    )
    blocking: list[list[str]] = Field(min_length=1, description="Candidate pairs agree on all columns of a rule.")
    max_block: int = Field(100, ge=2, description="Blocks of more records are too unspecific to pair up.")
    comparisons: list[Comparison] = Field(min_length=1)
    training_blocking: list[list[str]] = Field(min_length=1, description="EM passes, one per rule.")
    deterministic: list[list[str]] = Field(min_length=1, description="Near-certain rules to estimate the prior.")
    deterministic_recall: float = Field(0.7, gt=0, le=1)
    u_max_pairs: float = Field(1e6, ge=1e3, description="Random pairs sampled to estimate u.")
    seed: int = 1
    min_m: float = Field(0.001, gt=0, lt=0.5, description="No single disagreement proves a non-match.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.review_threshold >= self.link_threshold:
            raise ValueError("review_threshold must be below link_threshold")
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names must be unique: {names}")
        for rule in [*self.training_blocking, *self.deterministic]:
            if any(column not in self.columns for column in rule):
                raise ValueError(f"training rules name compared columns {self.columns}, got {rule}")
        for rule in self.blocking:
            # Blocking keys are derived identifiers, computed from the record's attributes alone.
            if not rule or any(column not in ATTRIBUTE_COLUMNS or column not in self.columns for column in rule):
                raise ValueError(f"blocking rules name compared attributes, got {rule}")
        return self

    @property
    def columns(self) -> list[str]:
        """Every column the model reads, in a fixed order."""
        seen: dict[str, None] = {}
        for comparison in self.comparisons:
            seen.update(dict.fromkeys(comparison.columns))
        return list(seen)

    @property
    def identifier_columns(self) -> list[str]:
        return [c for c in self.columns if c not in ATTRIBUTE_COLUMNS]

    @property
    def block_kinds(self) -> dict[str, list[str]]:
        """Blocking rules by the derived identifier kind that holds their key."""
        return {f"score{i}": rule for i, rule in enumerate(self.blocking)}
