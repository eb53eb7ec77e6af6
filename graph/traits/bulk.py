"""The trait refresh after a bulk import: the whole new base at once, in big passes.

After `c360 load --bulk` (the offline import, then a full rebuild) every profile is new and due
(the rebuild marked each one it wrote) and every touchpoint is pending (the importer wrote the
marks). `refresh_pending` works that off as it does a micro-batch's backlog: each transaction
takes 20,000 touchpoint marks, then 1,000 due profiles. `refresh_imported` reaches the same
graph (the same traits, sentiment, segment membership, lifecycle events and cleared marks;
tests/graph/traits/test_bulk.py compares the two) with less work around each profile:

1. Pending touchpoints make their profiles due first, in transactions of their own.
2. Due profiles are refreshed CHUNK to a transaction, as `refresh_pending`'s chunk does (texts
   scored, traits computed and written with their lifecycle events and segment membership,
   marks cleared), but each profile's touchpoints are read once, with the texts that need a
   score (`refresh_pending` walks them twice: unscored texts first, then the touchpoints).
3. A text is scored by VADER once per run however many touchpoints carry it (the score is a
   function of the text alone; generated and templated data repeat texts a lot).

Every transaction holds the identity lock, as `refresh_pending`'s do, so a merge or split by
another process cannot interleave with a chunk: nothing here assumes the database is idle.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from graph.connection import Graph, TxGraph
from graph.identity.lock import locked_waiting
from graph.traits import model as stored
from graph.traits.refresh import PENDING_CHUNK, RefreshReport, profile_facts, profile_touchpoints, write_traits
from graph.traits.sentiment import score_text

__all__ = ["CHUNK", "BulkReport", "refresh_imported"]

CHUNK = 5000
"""Due profiles per transaction (their touchpoints are read whole into Neo4j's heap)."""


@dataclass
class BulkReport(RefreshReport):
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per step: take (touchpoint marks), read, sentiment, compute, write."""


@dataclass
class _Run:
    model: stored.TraitModel
    chunk: int
    scores: dict[str, tuple[float, str]] = field(default_factory=dict)
    """VADER's (score, label) per text already seen in this run."""
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[name] = round(self.timings.get(name, 0.0) + now - since, 4)
        return now


def _score(run: _Run, texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in texts:
        text = str(row["text"])
        got = run.scores.get(text)
        if got is None:
            value, label = score_text(text)
            got = run.scores[text] = (round(value, 4), label)
        out.append({"uid": row["uid"], "score": got[0], "label": got[1]})
    return out


def _take(tx: TxGraph) -> bool:
    """Touchpoint marks -> due profiles, one chunk; True while more are pending."""
    # The incremental refresh's statement, taking marks only (no due profile listed).
    took = tx.write("traits_take_due", take=PENDING_CHUNK, skip=[], limit=0)[0]
    return bool(took["taken"] == PENDING_CHUNK)


def _chunk(tx: TxGraph, run: _Run) -> tuple[RefreshReport, bool]:
    """One locked transaction: up to `run.chunk` due profiles refreshed. True: more may be due."""
    report = RefreshReport()  # afresh: a deadlock retry reruns the whole transaction
    mark = time.perf_counter()
    pids = [r["pid"] for r in tx.read("traits_due_profiles", skip=[], limit=run.chunk)]
    if not pids:
        return report, False
    found, texts = profile_touchpoints(tx, pids)
    mark = run.lap("read", mark)
    scores: dict[str, dict[str, Any]] = {}
    if texts:
        scores = {r["uid"]: r for r in _score(run, [{"uid": u, "text": x} for u, x in texts.items()])}
        mark = run.lap("sentiment", mark)
        tx.write("traits_score_touchpoints", rows=list(scores.values()))
        report.scored_texts = len(scores)
        mark = run.lap("write", mark)
    config, now = run.model.config, run.model.config.now()
    facts = profile_facts(found, {uid: r["score"] for uid, r in scores.items()}, now, config)
    mark = run.lap("compute", mark)
    # Traits (CLV and RFM with the stored model), their lifecycle events and segment membership,
    # exactly as the incremental refresh writes them, and the profiles are no longer due.
    write_traits(tx, facts, run.model, clear=True)
    run.lap("write", mark)
    report.profiles = len(facts)
    return report, len(pids) == run.chunk


def refresh_imported(graph: Graph, *, chunk: int = CHUNK) -> BulkReport:
    """Refresh every due profile (after a bulk import: every profile) in chunks of `chunk`, with
    the stored trait model, as `refresh_pending` would."""
    started = datetime.now(UTC)
    run = _Run(model=stored.load(graph), chunk=chunk)
    mark = time.perf_counter()
    while locked_waiting(graph, _take, name="traits_bulk_take"):
        pass
    run.lap("take", mark)
    report = BulkReport()
    more = True
    while more:
        done, more = locked_waiting(graph, partial(_chunk, run=run), name="traits_bulk")
        report.add(done)
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    report.timings = run.timings
    return report
