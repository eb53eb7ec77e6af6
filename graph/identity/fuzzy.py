"""Optional fuzzy links: records in the same block whose compared attribute is similar enough.

Blocks are identifiers of their own kind (`block0`, `block1`, ... one per rule), so the
incremental scope reaches every record a fuzzy link could join, exactly as for strong
identifiers; only the pairs that pass the Jaro-Winkler threshold become links.
"""

from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz.distance import JaroWinkler

from graph.identity.evidence import Record
from graph.identity.rules import MatchRules

__all__ = ["block_pairs", "fuzzy_pairs"]


def fuzzy_pairs(records: Sequence[Record], rules: MatchRules) -> list[tuple[int, int, str]]:
    """(i, j, rule kind) for every accepted pair, i < j, by index into `records`."""
    blocks = rules.blocks
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for key, kind, degree, _ in record.ids:
            if kind in blocks and degree <= blocks[kind].max_block:
                members[(kind, key)].append(i)
    pairs: set[tuple[int, int, str]] = set()
    for (kind, _), block in sorted(members.items()):
        rule = blocks[kind]
        values = [(i, str(records[i].attrs.get(rule.compare, ""))) for i in block]
        pairs.update((i, j, kind) for i, j in block_pairs(values, rule.threshold))
    return sorted(pairs)


def block_pairs(values: Sequence[tuple[int, str]], threshold: float) -> list[tuple[int, int]]:
    """(i, j), i < j, for the records of one block (record, compared value) similar enough."""
    folded = [(i, value.casefold()) for i, value in values]
    pairs = []
    for x, (i, left) in enumerate(folded):
        for j, right in folded[x + 1 :]:
            if left and right and JaroWinkler.normalized_similarity(left, right) >= threshold:
                pairs.append((min(i, j), max(i, j)))
    return pairs
