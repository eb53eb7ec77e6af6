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

__all__ = ["fuzzy_pairs"]


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
        for x, i in enumerate(block):
            left = str(records[i].attrs.get(rule.compare, "")).casefold()
            for j in block[x + 1 :]:
                right = str(records[j].attrs.get(rule.compare, "")).casefold()
                if left and right and JaroWinkler.normalized_similarity(left, right) >= rule.threshold:
                    pairs.add((min(i, j), max(i, j), kind))
    return sorted(pairs)
