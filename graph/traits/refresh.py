"""Recompute traits: for due profiles (after resolution, incrementally), given ones, or the whole base.

Every read and write of a refresh runs in a transaction that holds the identity lock
(graph/identity/lock.py), chunk by chunk: a merge retires profiles and a split moves records only
under that lock, so what a chunk reads is still there when it writes (outside the lock Neo4j
refuses a write to a profile a concurrent merge deleted, `EntityNotFound`, and the traits would
describe a profile that no longer has those records).

What is due is kept in the graph, so a refresh that fails or is skipped is never lost:
resolution marks the profiles it writes (`Profile.traits_pending`, in its own transaction),
loads mark touchpoints they write, retention marks profiles whose touchpoints it deleted.
`refresh_pending` works them off; `refresh(graph, pids)` recomputes given profiles;
`refresh_all` fits the model (RFM cut points, CLV) over the whole base again and stores it.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytz  # the driver's own UTC (neo4j depends on it), so times compare and store as they did

from graph import segments
from graph.changes import outbox
from graph.changes.segments import lifecycle
from graph.connection import Graph, TxGraph
from graph.identity.lock import LeaseBusy, locked, locked_waiting
from graph.traits import clv, rfm
from graph.traits import model as stored
from graph.traits.compute import Facts, describe
from graph.traits.config import TraitConfig
from graph.traits.sentiment import SENTIMENT_CHANNELS, scored
from graph.values import native

__all__ = [
    "RefreshReport",
    "profile_facts",
    "profile_touchpoints",
    "refresh",
    "refresh_all",
    "refresh_pending",
    "write_traits",
]

CHUNK = 1000
"""Profiles read and written per transaction (each holds the identity lock while it runs)."""
PENDING_CHUNK = 20_000
"""Pending touchpoints turned into due profiles per transaction."""


@dataclass
class RefreshReport:
    profiles: int = 0
    scored_texts: int = 0
    customers: int | None = None
    clv_fitted: bool | None = None
    clv_note: str | None = None
    seconds: float = 0.0
    deferred: bool = False
    """A rebuild held the lease: what is due stays marked for the refresh that follows it."""

    def add(self, other: "RefreshReport") -> None:
        self.profiles += other.profiles
        self.scored_texts += other.scored_texts


def _chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _at(t: dict[str, Any]) -> Any:
    """The touchpoint's time as the driver gives a DateTime after `to_native`: it reads a UTC
    offset as pytz's UTC and truncates nanoseconds to microseconds."""
    if t["at_s"] is None:
        return native(t["at"])
    return datetime.fromtimestamp(t["at_s"], pytz.UTC).replace(microsecond=int(t["at_ns"] / 1000))


def profile_touchpoints(graph: Graph, pids: list[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Each existing profile's `{pid, touchpoints}`, one walk per profile, and the texts in the
    person's own words without a sentiment score by touchpoint uid (once each: a touchpoint two
    profiles share is read twice). Give them to `profile_facts` with the scores of those texts."""
    found: list[dict[str, Any]] = graph.read(
        "traits_bulk_profile_touchpoints", pids=pids, channels=sorted(SENTIMENT_CHANNELS)
    )[0]["profiles"]
    texts = {t["uid"]: t["text"] for row in found for t in row["touchpoints"] if t["text"] is not None}
    return found, texts


def profile_facts(
    found: list[dict[str, Any]], scores: Mapping[str, float], now: datetime, config: TraitConfig
) -> list[Facts]:
    """The facts of `profile_touchpoints`' profiles (their rows are consumed), with the sentiment
    scores just written (`scores`, by touchpoint uid) as a fresh read would give them."""
    out = []
    for row in found:
        for t in row["touchpoints"]:
            t["at"] = _at(t)
            del t["text"], t["at_s"], t["at_ns"]
            if t["uid"] in scores:
                t["sentiment_score"] = scores[t["uid"]]
        out.append(describe(row["pid"], row["touchpoints"], now, config))
    return out


def _facts(graph: Graph, pids: list[str], config: TraitConfig, now: datetime, report: RefreshReport) -> list[Facts]:
    found, texts = profile_touchpoints(graph, pids)
    scores: dict[str, float] = {}
    if texts:
        rows = scored([{"uid": uid, "text": text} for uid, text in texts.items()])
        graph.write("traits_score_touchpoints", rows=rows)
        report.scored_texts += len(rows)
        scores = {row["uid"]: row["score"] for row in rows}
    return profile_facts(found, scores, now, config)


def write_traits(
    graph: Graph,
    facts: list[Facts],
    model: stored.TraitModel,
    since: datetime | None = None,
    *,
    clear: bool = False,
) -> None:
    """Traits of these profiles, then their segment membership, and they are no longer due.
    `since`: leave alone a profile another refresh wrote after that time (it read fresher facts).
    `clear`: also remove the written profiles' due marks (`traits_pending`), in the same statement."""
    predicted = clv.predict(facts, model.clv, model.config)
    rows = [
        {"pid": f.pid, "props": f.props | rfm.score(f, model.rfm) | p} for f, p in zip(facts, predicted, strict=True)
    ]
    now = datetime.now(UTC)
    steps = [("traits_write_profiles", {"rows": rows, "now": now, "since": since, "clear": clear})]
    moved = graph.write_many(steps)[0][0]["moves"]
    # Lifecycle moves are change-feed events, committed with the traits that made them.
    events = lifecycle({r["pid"]: (r["previous"], r["stage"]) for r in moved})
    if events:
        graph.write_many(outbox.enclose([], events, now))
    pids = [f.pid for f in facts]
    segments.refresh(graph, pids)  # traits changed, so membership may have: these profiles only


def _chunk(tx: TxGraph, pids: list[str], model: stored.TraitModel) -> RefreshReport:
    """One locked transaction: recompute and write these profiles (retired ones are skipped)."""
    report = RefreshReport()  # built afresh: a deadlock retry reruns the whole transaction
    facts = _facts(tx, pids, model.config, model.config.now(), report)
    # Cleared as they are written: every one of `pids` that is still a profile is written.
    write_traits(tx, facts, model, clear=True)
    report.profiles = len(facts)
    return report


def refresh(graph: Graph, pids: Iterable[str]) -> RefreshReport:
    """Recompute the traits of these profiles (unknown or retired ids are skipped)."""
    started = datetime.now(UTC)
    report = RefreshReport()
    model = stored.load(graph)
    for part in _chunks(sorted({p for p in pids if p is not None})):
        report.add(locked_waiting(graph, partial(_chunk, pids=part, model=model), name="traits_refresh"))
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def _due(tx: TxGraph, first: list[str], model: stored.TraitModel) -> tuple[RefreshReport, bool]:
    """One locked transaction: touchpoints written since the last refresh make their profiles due;
    then up to CHUNK due profiles (`first` before any other) are refreshed. True: more are due.
    One chunk of touchpoints per transaction, not all of them: after a bulk import every
    touchpoint is pending, and taking 500k in one transaction ran Neo4j out of memory."""
    took = tx.write("traits_take_due", take=PENDING_CHUNK, skip=first, limit=CHUNK - len(first))[0]
    backlog = took["taken"] == PENDING_CHUNK
    due = first + took["due"]
    if not due:
        return RefreshReport(), backlog
    return _chunk(tx, due, model), backlog or len(due) == CHUNK


def refresh_pending(graph: Graph, *, first: Iterable[str] = (), max_chunks: int | None = None) -> RefreshReport:
    """Refresh the profiles that are due, `first` ones first, in chunks of CHUNK (at most
    `max_chunks`). While a rebuild holds the lease nothing is done (`deferred`): the rebuild's
    own refresh follows it, and the marks keep what is due meanwhile."""
    started = datetime.now(UTC)
    report = RefreshReport()
    model = stored.load(graph)
    head = sorted({p for p in first if p is not None})
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        part, head = head[:CHUNK], head[CHUNK:]
        try:
            done, more = locked(graph, partial(_due, first=part, model=model), name="traits_refresh")
        except LeaseBusy:
            report.deferred = True
            break
        report.add(done)
        chunks += 1
        if not more and not head:
            break
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def refresh_all(graph: Graph, config: TraitConfig | None = None) -> RefreshReport:
    """Every profile, with the model fitted again over the whole base (the RFM quintiles and the
    CLV model describe the base as it is now). `config` None keeps the stored configuration."""
    started = datetime.now(UTC)
    report = RefreshReport()
    config = config or stored.load(graph).config
    now = config.now()
    pids = [r["pid"] for r in locked_waiting(graph, lambda tx: tx.read("traits_all_profiles"), name="traits_all")]
    facts: list[Facts] = []

    def read(tx: TxGraph, part: list[str]) -> tuple[list[Facts], int]:
        got = RefreshReport()  # afresh on every attempt
        return _facts(tx, part, config, now, got), got.scored_texts

    for part in _chunks(pids):
        found, texts = locked_waiting(graph, partial(read, part=part), name="traits_read")
        facts.extend(found)
        report.scored_texts += texts
    fitted = clv.fit(facts, config)
    model = stored.TraitModel(config=config, rfm=rfm.fit(facts), clv=fitted.params, fitted_at=now)
    stored.save(graph, model)
    for start in range(0, len(facts), CHUNK):
        part_facts = facts[start : start + CHUNK]
        # A profile a merge changed since it was read is due again, and refreshed after this
        # run; one a refresh already wrote since then keeps its fresher traits (`since`).
        locked_waiting(graph, partial(write_traits, facts=part_facts, model=model, since=started), name="traits_write")
    report.profiles = len(facts)
    report.customers = int((model.rfm or {}).get("customers", 0))
    report.clv_fitted, report.clv_note = fitted.params is not None, fitted.note
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report
