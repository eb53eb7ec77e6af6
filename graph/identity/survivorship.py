"""Golden values: one value per field for a profile, chosen from its records by ordered rules.

Every candidate value stays on the profile's provenance with its source, record and time, so
a steward can see what lost and why. A steward override beats every rule until withdrawn.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.identity.rules import Survivorship

__all__ = ["ATTRIBUTE_FIELDS", "Candidate", "IDENTIFIER_FIELDS", "golden"]

ATTRIBUTE_FIELDS = ("first_name", "last_name", "birth_date", "street", "city", "postcode", "country")
IDENTIFIER_FIELDS = {"email": "email", "phone": "phone"}  # golden field -> identifier kind


@dataclass(frozen=True)
class Candidate:
    value: Any
    source: str
    uid: str
    at: str  # ISO time the record was last updated; "" when unknown


def _rank(rules: Survivorship, field_candidates: Sequence[Candidate]) -> tuple[Candidate, str]:
    frequency = Counter(c.value for c in field_candidates)
    priority = {source: i for i, source in enumerate(rules.source_priority)}
    pool = list(field_candidates)
    decided_by = rules.order[-1]
    for rule in rules.order:
        if rule == "source_priority":
            best = min(priority.get(c.source, len(priority)) for c in pool)
            kept = [c for c in pool if priority.get(c.source, len(priority)) == best]
        elif rule == "most_recent":
            latest = max(c.at for c in pool)
            kept = [c for c in pool if c.at == latest]
        else:
            top = max(frequency[c.value] for c in pool)
            kept = [c for c in pool if frequency[c.value] == top]
        if len({c.value for c in kept}) < len({c.value for c in pool}):
            decided_by = rule
        pool = kept
        if len({c.value for c in pool}) == 1:
            break
    # Whatever still ties is settled by record id so that a rebuild picks the same value.
    return min(pool, key=lambda c: (c.uid, str(c.value))), decided_by


def golden(
    rules: Survivorship,
    candidates: dict[str, list[Candidate]],
    overrides: dict[str, dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(golden values, provenance per field) from candidates per field and steward overrides."""
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for name, pool in candidates.items():
        if not pool:
            continue
        if len({c.value for c in pool}) == 1:
            winner, rule = min(pool, key=lambda c: c.uid), "agreed"
        else:
            winner, rule = _rank(rules, pool)
        values[name] = winner.value
        provenance[name] = {
            "value": str(winner.value),
            "source": winner.source,
            "uid": winner.uid,
            "at": winner.at,
            "rule": rule,
            "candidates": [
                {"value": str(c.value), "source": c.source, "uid": c.uid, "at": c.at}
                # Value too: a record with two emails must list them the same way whatever order
                # its identifiers were read in (else a rebuild rewrites unchanged provenance).
                for c in sorted(pool, key=lambda c: (c.uid, str(c.value)))
            ],
        }
    for name, override in (overrides or {}).items():
        values[name] = override["value"]
        provenance[name] = provenance.get(name, {"candidates": []}) | {
            "value": override["value"],
            "source": "steward",
            "uid": None,
            "at": override.get("at", ""),
            "rule": "steward_override",
            "by": override.get("by"),
            "reason": override.get("reason"),
        }
    return values, provenance
