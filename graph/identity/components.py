"""Connected components of records, with steward cannot-links respected.

Records are integers 0..n-1. Evidence comes as groups (all records sharing one identifier)
and as pairs (steward same-person links). Plain components use scipy's compiled
connected_components: a million records in well under a second. A component that contains a
cannot-link pair is redone with a constrained union-find, which adds evidence in a fixed
order -- steward links, then identifiers from the rarest (most specific) to the most common --
and skips any union that would put a cannot-link pair together. The order makes the cut
deterministic and keeps the strongest evidence: a junk-ish identifier shared by many records
is the first link to go.
"""

from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as _scipy_components

__all__ = ["Group", "cluster", "components"]

Group = Sequence[int] | np.ndarray
"""Records sharing one identifier (a list, or an integer array from a streaming rebuild)."""


def components(n: int, groups: Sequence[Group], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Component label per record (labels are arbitrary ints)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    sizes = [len(g) - 1 for g in groups if len(g) > 1]
    m = sum(sizes) + len(pairs)
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    at = 0
    for group in groups:
        if len(group) > 1:
            k = len(group) - 1
            rows[at : at + k] = group[0]  # a star is enough to connect a group
            cols[at : at + k] = group[1:]
            at += k
    for a, b in pairs:
        rows[at], cols[at] = a, b
        at += 1
    graph = coo_matrix((np.ones(m, dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    _, labels = _scipy_components(graph, directed=False)
    result: np.ndarray = labels
    return result


class _UnionFind:
    def __init__(self, n: int, cannot: Sequence[tuple[int, int]]) -> None:
        self.parent = list(range(n))
        self.blocked: dict[int, set[int]] = {}
        for a, b in cannot:
            self.blocked.setdefault(a, set()).add(b)
            self.blocked.setdefault(b, set()).add(a)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        blocked_a = self.blocked.get(ra, set())
        if any(self.find(x) == rb for x in blocked_a):
            return False
        # Blocked sets move with the root, so a later union sees every constraint of both sides.
        if len(blocked_a) < len(self.blocked.get(rb, set())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        merged = self.blocked.pop(rb, set())
        if merged:
            self.blocked.setdefault(ra, set()).update(merged)
        return True


def cluster(
    n: int,
    groups: Sequence[Group],
    pairs: Sequence[tuple[int, int]],
    cannot: Sequence[tuple[int, int]] = (),
) -> list[list[int]]:
    """Clusters of records (each sorted, the list sorted by first member)."""
    labels = components(n, groups, pairs)
    if cannot:
        labels = labels.copy()
        conflicted = {int(labels[a]) for a, b in cannot if labels[a] == labels[b]}
        if conflicted:
            labels = _recut(labels, conflicted, groups, pairs, cannot)
    order = np.argsort(labels, kind="stable")
    boundaries = np.flatnonzero(np.diff(labels[order])) + 1
    clusters = [part.tolist() for part in np.split(order, boundaries)] if n else []
    return sorted((sorted(c) for c in clusters), key=lambda c: c[0])


def _recut(
    labels: np.ndarray,
    conflicted: set[int],
    groups: Sequence[Group],
    pairs: Sequence[tuple[int, int]],
    cannot: Sequence[tuple[int, int]],
) -> np.ndarray:
    members = np.flatnonzero(np.isin(labels, list(conflicted)))
    local = {int(g): i for i, g in enumerate(members)}
    uf = _UnionFind(len(members), [(local[a], local[b]) for a, b in cannot if a in local and b in local])
    for a, b in sorted(pairs):
        if a in local:
            uf.union(local[a], local[b])
    for group in sorted((g for g in groups if len(g) > 1 and g[0] in local), key=lambda g: (len(g), list(g))):
        first = local[group[0]]
        for other in group[1:]:
            uf.union(first, local[other])
    next_label = int(labels.max()) + 1
    for i, record in enumerate(members):
        labels[record] = next_label + uf.find(i)
    return labels
