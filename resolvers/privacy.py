"""Privacy operations for the API: consent, restriction, subject export and erasure, the audit log.

The privacy engine (graph.privacy) does the work and audits each operation under the caller's
name; this module checks the input and runs it off the event loop (`Context.run_engine`), where
the engine's refusals (no such profile, an identifier shared by many people) become errors the
caller can fix.
"""

from datetime import UTC, datetime
from functools import partial
from typing import Any

from graph.connection import Graph
from graph.privacy import PrivacyError, audit, consent, erasure, restriction, subject
from resolvers.context import Context
from resolvers.errors import BadInput
from resolvers.errors import bounded_text as _text

__all__ = ["allowed", "audit_log", "erase", "export", "record", "restrict", "set_consent"]

MAX_LABEL = 64
MAX_AUDIT = 1000


def _label(name: str, value: str) -> str:
    """A purpose or channel as consent statements store it: trimmed, single-spaced, lower case."""
    label = " ".join(value.split()).lower()
    if not label or len(label) > MAX_LABEL:
        raise BadInput(f"{name} must be 1 to {MAX_LABEL} characters")
    return label


async def set_consent(
    context: Context, pid: str, purpose: str, channel: str, status: str, evidence: str | None, reason: str | None
) -> None:
    await context.run_engine(
        "consent.set",
        partial(
            consent.set,
            context.store.graph,
            pid,
            _label("purpose", purpose),
            _label("channel", channel),
            status,
            by=context.principal.name,
            evidence=_text("evidence", evidence),
            reason=_text("reason", reason),
        ),
        refusals=PrivacyError,
    )


async def restrict(context: Context, pid: str, restricted: bool, reason: str | None) -> str:
    change = restriction.restrict if restricted else restriction.unrestrict
    return await context.run_engine(
        "restriction",
        partial(change, context.store.graph, pid, by=context.principal.name, reason=_text("reason", reason)),
        refusals=PrivacyError,
    )


def _allowed(graph: Graph, purpose: str, channel: str) -> list[str]:
    candidates = graph.read("api_consent_candidates", purpose=purpose, channel=channel)[0]["pids"]
    return sorted(consent.allowed(graph, candidates, purpose, channel))


async def allowed(context: Context, purpose: str, channel: str) -> list[str]:
    """Every profile that may be contacted for `purpose` on `channel` (restricted ones never)."""
    return await context.run_engine(
        "consent.allowed",
        partial(_allowed, context.store.graph, _label("purpose", purpose), _label("channel", channel)),
        refusals=PrivacyError,
        writes=False,
    )


def _subject(graph: Graph, identifier: str | None, pid: str | None, region: str) -> subject.Subject:
    if (identifier is None) == (pid is None):
        raise BadInput("give either identifier (KIND:VALUE) or profileId")
    if identifier is not None:
        return subject.find(graph, _text("identifier", identifier) or "", region=region)
    return subject.of_profile(graph, pid or "")


async def export(context: Context, identifier: str | None, pid: str | None, reason: str | None) -> dict[str, Any]:
    """Everything held about the person (right of access); the engine audits the export."""
    graph, region = context.store.graph, context.engine.region

    def run() -> dict[str, Any]:
        person = _subject(graph, identifier, pid, region)
        return subject.export(graph, person, actor=context.principal.name, reason=_text("reason", reason))

    return await context.run_engine("subject.export", run, refusals=PrivacyError, writes=False)


async def erase(
    context: Context, identifier: str | None, pid: str | None, reason: str | None, confirm: bool
) -> erasure.ErasureReport:
    if not confirm:
        raise BadInput("erasure cannot be undone: pass confirm: true")
    engine, graph = context.engine, context.store.graph

    def run() -> erasure.ErasureReport:
        person = _subject(graph, identifier, pid, engine.region)
        report = erasure.erase(
            graph,
            person,
            secret=engine.suppression_key,
            rules=engine.rules,
            actor=context.principal.name,
            reason=_text("reason", reason),
            touchpoints=engine.erasure_touchpoints,
        )
        # The quarantine files hold raw rows: theirs go too (files are outside the transaction).
        engine.purge_quarantine(graph)
        return report

    return await context.run_engine("subject.erase", run, refusals=PrivacyError)


async def audit_log(
    context: Context, since: datetime | None, actor: str | None, action: str | None, first: int | None
) -> list[dict[str, Any]]:
    if first is not None and not 1 <= first <= MAX_AUDIT:
        raise BadInput(f"first must be between 1 and {MAX_AUDIT}")
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # caller times without a zone are UTC, like the graph's
    return await context.run_engine(
        "audit.query",
        partial(
            audit.query,
            context.store.graph,
            since=since,
            actor=_text("actor", actor),
            action=_text("action", action),
            limit=first or MAX_AUDIT,
        ),
        refusals=PrivacyError,
        writes=False,
    )


async def record(context: Context, action: str, target: str, reason: str | None) -> None:
    """Audit an admin operation the privacy engine does not record itself."""
    await context.store.audit(
        audit.entry(actor=context.principal.name, action=action, target=target, reason=_text("reason", reason))
    )
