"""What the traits are computed with: thresholds and the reference time, as plain values.

The configuration in force is stored with the fitted model (graph/traits/model.py) by
`refresh_all`, so the incremental refresh that runs after every resolution scores profiles
with the same thresholds and quintile cut points as the last full recomputation.
"""

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

__all__ = ["TraitConfig"]


@dataclass(frozen=True)
class TraitConfig:
    new_days: int = 30
    """A customer whose first order is at most this many days old is `new`."""
    active_days: int = 90
    """Last order at most this many days ago: `active` (or `reactivated`, see lapsed_days)."""
    lapsed_days: int = 365
    """Last order more than this many days ago: `lapsed`; between active_days and this: `at_risk`.
    A gap longer than this between two orders followed by a recent one makes `reactivated`."""
    engagement_days: int = 90
    """Window of the engagement counts (email opens and clicks, web visits)."""
    clv_horizon_days: int = 365
    """Horizon of the predicted customer lifetime value and expected orders."""
    as_of: datetime | None = None
    """Reference time; None means the time of each refresh (a fixed time makes reruns repeatable)."""

    def __post_init__(self) -> None:
        if not (0 < self.new_days and 0 < self.active_days < self.lapsed_days):
            raise ValueError("trait thresholds need 0 < new_days and 0 < active_days < lapsed_days")
        if self.engagement_days <= 0 or self.clv_horizon_days <= 0:
            raise ValueError("engagement_days and clv_horizon_days must be positive")

    def now(self) -> datetime:
        return self.as_of if self.as_of is not None else datetime.now(UTC)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TraitConfig":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("as_of"):
            values["as_of"] = datetime.fromisoformat(values["as_of"])
        return cls(**values)
