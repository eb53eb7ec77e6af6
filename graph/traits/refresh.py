"""Recompute traits: for given profiles (after resolution, incrementally) or for the whole base.

`refresh(graph, pids)` scores the given profiles with the stored model (thresholds, RFM cut
points, CLV parameters); `refresh_all(graph, config)` recomputes every profile, fits the model
again over the whole base and stores it; `after_resolution(graph, pids)` is the hook the
resolver calls: the profiles it wrote or retired plus the profiles of touchpoints written since
the last refresh (a new order on a known customer changes no profile, but changes its traits).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph import segments
from graph.connection import Graph
from graph.traits import clv, rfm
from graph.traits import model as stored
from graph.traits.compute import Facts, describe
from graph.traits.config import TraitConfig
from graph.traits.sentiment import SENTIMENT_CHANNELS, scored

__all__ = ["RefreshReport", "after_resolution", "refresh", "refresh_all"]

CHUNK = 1000
"""Profiles read and written per transaction."""
PENDING_CHUNK = 20_000


@dataclass
class RefreshReport:
    profiles: int = 0
    scored_texts: int = 0
    customers: int | None = None
    clv_fitted: bool | None = None
    clv_note: str | None = None
    seconds: float = 0.0


def _chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _facts(graph: Graph, pids: list[str], config: TraitConfig, now: datetime, report: RefreshReport) -> list[Facts]:
    texts = graph.read("traits_unscored_text", pids=pids, channels=sorted(SENTIMENT_CHANNELS))
    if texts:
        graph.write("traits_score_touchpoints", rows=scored(texts))
        report.scored_texts += len(texts)
    out = []
    for row in graph.read("traits_profile_touchpoints", pids=pids):
        touchpoints = [t | {"at": _native(t["at"])} for t in row["touchpoints"]]
        out.append(describe(row["pid"], touchpoints, now, config))
    return out


def _write(graph: Graph, facts: list[Facts], model: stored.TraitModel) -> None:
    predicted = clv.predict(facts, model.clv, model.config)
    rows = [
        {"pid": f.pid, "props": f.props | rfm.score(f, model.rfm) | p} for f, p in zip(facts, predicted, strict=True)
    ]
    graph.write("traits_write_profiles", rows=rows, now=datetime.now(UTC))


def refresh(graph: Graph, pids: Iterable[str]) -> RefreshReport:
    """Recompute the traits of these profiles (unknown or retired ids are skipped)."""
    started = datetime.now(UTC)
    report = RefreshReport()
    model = stored.load(graph)
    now = model.config.now()
    for part in _chunks(sorted(set(pids))):
        facts = _facts(graph, part, model.config, now, report)
        _write(graph, facts, model)
        report.profiles += len(facts)
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def refresh_all(graph: Graph, config: TraitConfig | None = None) -> RefreshReport:
    """Every profile, with the model fitted again over the whole base (the RFM quintiles and the
    CLV model describe the base as it is now). `config` None keeps the stored configuration."""
    started = datetime.now(UTC)
    report = RefreshReport()
    config = config or stored.load(graph).config
    now = config.now()
    pids = [r["pid"] for r in graph.read("traits_all_profiles")]
    facts: list[Facts] = []
    for part in _chunks(pids):
        facts.extend(_facts(graph, part, config, now, report))
    fitted = clv.fit(facts, config)
    model = stored.TraitModel(config=config, rfm=rfm.fit(facts), clv=fitted.params, fitted_at=now)
    stored.save(graph, model)
    for start in range(0, len(facts), CHUNK):
        _write(graph, facts[start : start + CHUNK], model)
    report.profiles = len(facts)
    report.customers = int((model.rfm or {}).get("customers", 0))
    report.clv_fitted, report.clv_note = fitted.params is not None, fitted.note
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def after_resolution(graph: Graph, pids: Iterable[str]) -> RefreshReport:
    """The resolver's hook: the profiles it wrote or retired, plus those fed by pending touchpoints."""
    affected = set(pids)
    while True:
        rows = graph.read("traits_pending_touchpoints", limit=PENDING_CHUNK)
        if not rows:
            break
        for row in rows:
            affected.update(row["pids"])
        uids = [row["uid"] for row in rows]
        # Cleared before the refresh reads them: a touchpoint written in between is marked again
        # by its writer and picked up by the next run, never lost.
        graph.write("traits_clear_pending", uids=uids)
        if len(rows) < PENDING_CHUNK:
            break
    if not affected:
        return RefreshReport()
    report = refresh(graph, affected)
    # Traits changed, so segment membership may have: re-evaluate these profiles only.
    segments.refresh(graph, affected)
    return report
