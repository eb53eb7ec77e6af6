"""The incremental scope (evidence.scope): closed, and read once with the facts `gather` reads."""

from pathlib import Path

import queries
from graph.connection import Graph
from graph.identity import evidence, load_rules, resolve
from tests.graph.identity.conftest import load_dir, partition


def test_scope_is_whole_profiles_with_the_facts_gather_reads(graph: Graph, sample: Path, tmp_path: Path) -> None:
    load_dir(graph, sample, tmp_path / "q.jsonl")
    rules = load_rules()
    resolve(graph, rules, full=True)
    profiles = sorted(partition(graph), key=lambda members: (-len(members), sorted(members)))
    biggest, single = profiles[0], profiles[-1]
    assert len(biggest) >= 3 and len(single) == 1
    seed = sorted(biggest)[0]

    before = graph.statements.copy()
    facts = evidence.scope(graph, rules, [seed, "no:such-record"])
    steps = graph.statements["resolve_scope_facts"] - before["resolve_scope_facts"]

    uids = [record.uid for record in facts.records]
    # Closed: the seed's whole profile, and every profile it reaches whole (a resolved graph's
    # profiles are its components); an unknown seed adds nothing.
    assert set(biggest) <= set(uids) and "no:such-record" not in uids
    assert all(members <= set(uids) or not members & set(uids) for members in profiles)
    # Each record once, with exactly the facts `gather` reads for it, in the same order.
    assert len(uids) == len(set(uids))
    assert facts == evidence.gather(graph, rules, uids)
    # One read per step of the walk (the seed, then what it reaches, until nothing new), and no
    # second read of the records' facts.
    assert 2 <= steps <= len(uids)
    assert graph.statements["resolve_record_facts"] == before["resolve_record_facts"] + 1  # the gather above


def test_key_fields_are_what_every_claim_statement_reads() -> None:
    # A bulk import derives keys from evidence.KEY_FIELDS; the resolve after it from what its
    # claim statement reads. Were they to differ, the resolve would rewrite every derived key.
    projection = "c {" + ", ".join(f".{name}" for name in evidence.KEY_FIELDS) + "}"
    for name in ("resolve_claim_batch", "resolve_claim_pending", "resolve_records_claim_page"):
        assert projection in queries.load(name), name
