"""What must hold of the identity graph after any mix of writers, crashes and repairs.

Nothing pending, every record in exactly one profile, no empty profiles, households with
members and the right size, no profile in two households, and the live partition equal to what
a full rebuild would compute from the same evidence (computed in memory, nothing written).
Used by the concurrency and crash tests and by `c360 check`.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from graph.connection import Graph
from graph.identity import evidence
from graph.identity.resolve import cluster_all
from graph.identity.rules import MatchRules

__all__ = ["Violations", "check"]

_SHOW = 5  # examples per kind of defect


@dataclass
class Violations:
    pending: list[str] = field(default_factory=list)
    homeless: list[str] = field(default_factory=list)
    in_several: list[str] = field(default_factory=list)
    empty_profiles: list[str] = field(default_factory=list)
    empty_households: list[str] = field(default_factory=list)
    multi_household: list[str] = field(default_factory=list)
    wrong_household_size: list[str] = field(default_factory=list)
    partition_differs: list[list[str]] = field(default_factory=list)
    """Rebuilt clusters that are not exactly one live profile."""

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def summary(self) -> str:
        parts = [f"{name}: {len(values)} (e.g. {values[:_SHOW]})" for name, values in self.__dict__.items() if values]
        return "; ".join(parts) or "all invariants hold"


def check(graph: Graph, rules: MatchRules, *, partition: bool = True) -> Violations:
    found = Violations()
    live: dict[str, str] = {}
    for row in graph.read("invariants_profiles"):
        if row["pending"]:
            found.pending.append(row["uid"])
        if not row["pids"]:
            found.homeless.append(row["uid"])
        elif len(row["pids"]) > 1:
            found.in_several.append(row["uid"])
        else:
            live[row["uid"]] = row["pids"][0]
    row = graph.read("invariants_empty")[0]
    found.empty_profiles = sorted(row["empty_profiles"])
    found.empty_households = sorted(row["empty_households"])
    found.multi_household = sorted(row["multi_household"])
    found.wrong_household_size = sorted(row["wrong_size"])
    if partition:
        facts = evidence.gather(graph, rules, None)
        by_pid: dict[str, set[str]] = defaultdict(set)
        for uid, pid in live.items():
            by_pid[pid].add(uid)
        for members in cluster_all(facts, rules):
            uids = {facts.records[i].uid for i in members}
            pids = {live.get(uid) for uid in uids}
            if len(pids) != 1 or None in pids or by_pid[next(iter(pids))] != uids:  # type: ignore[index]
                found.partition_differs.append(sorted(uids))
    for name in ("pending", "homeless", "in_several"):
        getattr(found, name).sort()
    return found
