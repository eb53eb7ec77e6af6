"""What a resolution run did: the one report of the incremental, micro-batch and full paths.

Its own module, below `resolve` and `rebuild`, so the streaming rebuild fills the same report
the caller returns instead of a second type whose fields were copied over by name.
"""

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ResolveReport"]


@dataclass
class ResolveReport:
    mode: str
    records: int = 0
    clusters: int = 0
    written: int = 0
    created: int = 0
    merges: int = 0
    splits: int = 0
    held_out: list[tuple[str, int]] = field(default_factory=list)
    conflicts: int = 0
    households: int = 0
    scoring: dict[str, Any] = field(default_factory=dict)
    claimed: int = 0
    """Pending records this run took on."""
    repaired: bool = False
    """It first repaired what a crashed run left."""
    timings: dict[str, float] = field(default_factory=dict)
    affected: list[str] = field(default_factory=list)
    """Profiles written (marked due for the trait refresh; an event's are refreshed first)."""
    traits: int = 0
    profile_of: dict[str, str | None] = field(default_factory=dict)
    """With `resolve_batch(answer=True)`: the profile of each given record after the batch."""

    def add(self, other: "ResolveReport") -> None:
        """Sum a micro-batch into a report of several."""
        for name in ("records", "clusters", "written", "created", "merges", "splits", "conflicts", "households"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.claimed += other.claimed
        self.affected += other.affected
        for name, value in other.scoring.items():  # counts add up; the model version and reasons carry over
            if isinstance(value, int) and not isinstance(value, bool):
                self.scoring[name] = self.scoring.get(name, 0) + value
            elif not isinstance(value, dict):
                self.scoring[name] = value
        self.held_out = other.held_out or self.held_out
        for phase, seconds in other.timings.items():
            self.timings[phase] = round(self.timings.get(phase, 0.0) + seconds, 4)

    def as_dict(self) -> dict[str, Any]:
        report = {name: value for name, value in self.__dict__.items() if name != "profile_of"}
        return report | {"held_out": [list(h) for h in self.held_out]}
