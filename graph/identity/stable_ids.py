"""Stable ids across re-clustering: who keeps an id when clusters merge and split.

Rules: each old id goes to the new cluster holding most of its records (ties: the cluster
with the smallest member). A cluster that receives several old ids keeps the oldest one and
the others become its aliases (a merge). A cluster that receives none gets a new id; so when a
cluster splits, the largest part keeps the id and the other parts get new ids.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["Assignment", "assign", "new_id"]

K = TypeVar("K", str, int)


@dataclass(frozen=True)
class Assignment:
    ids: list[str]  # one per cluster, in cluster order
    aliases: dict[str, str] = field(default_factory=dict)  # retired id -> surviving id
    merged: dict[str, list[str]] = field(default_factory=dict)  # surviving id -> ids it absorbed
    split_from: dict[str, str] = field(default_factory=dict)  # new id -> the id it split from


def new_id(prefix: str, anchor: str, taken: Callable[[str], bool]) -> str:
    """A deterministic id from the cluster's smallest member, so a rebuild mints the same ids."""
    attempt = 0
    while True:
        digest = hashlib.blake2b(f"{anchor}#{attempt}".encode(), digest_size=8).hexdigest()
        candidate = f"{prefix}{digest}"
        if not taken(candidate):
            return candidate
        attempt += 1


def assign(
    clusters: Sequence[Sequence[K]],
    old: Mapping[K, str],
    age: Callable[[str], tuple[object, ...]],
    prefix: str,
    taken: Callable[[str], bool],
    anchor: Callable[[K], str] = str,
) -> Assignment:
    """Ids for `clusters` (members are keys of `old`, the previous member -> id mapping).

    `age(id)` sorts ids oldest first; `taken(id)` says whether an id is already in use.
    Members are record ids, or record numbers in record-id order (a streaming rebuild) with
    `anchor` turning the smallest into its record id, from which new ids are minted.
    """
    votes: dict[str, Counter[int]] = {}
    for index, members in enumerate(clusters):
        for member in members:
            previous = old.get(member)
            if previous is not None:
                votes.setdefault(previous, Counter())[index] += 1
    claimants: dict[int, list[str]] = {}
    for previous, counter in votes.items():
        best = min(counter.items(), key=lambda item: (-item[1], min(clusters[item[0]])))[0]
        claimants.setdefault(best, []).append(previous)
    ids: list[str] = []
    minted: set[str] = set()
    result = Assignment(ids)
    for index, members in enumerate(clusters):
        candidates = sorted(claimants.get(index, []), key=lambda pid: (age(pid), pid))
        if candidates:
            survivor, *absorbed = candidates
            for pid in absorbed:
                result.aliases[pid] = survivor
            if absorbed:
                result.merged[survivor] = absorbed
        else:
            survivor = new_id(prefix, anchor(min(members)), lambda c: c in minted or taken(c))
            minted.add(survivor)
            origins = Counter(old[m] for m in members if m in old)
            if origins:
                result.split_from[survivor] = origins.most_common(1)[0][0]
        ids.append(survivor)
    return result
