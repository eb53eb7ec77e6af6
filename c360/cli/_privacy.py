"""`c360 subject export|erase`, `audit`, `retention apply`, `consent set|show`, `restrict`: privacy operations."""

import getpass
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer

from c360.cli._app import connected, fail, out, settings
from c360.cli._app import engine as engine_for
from graph import schema, traits
from graph.connection import Graph
from graph.privacy import PrivacyError, audit, consent, erasure, restriction, retention, subject

subject_app = typer.Typer(help="Data-subject rights: access export and erasure.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention of touchpoints per channel (C360_RETENTION_DAYS).", no_args_is_help=True)
consent_app = typer.Typer(help="Consent per profile, purpose and channel.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(subject_app, name="subject")
    app.add_typer(retention_app, name="retention")
    app.add_typer(consent_app, name="consent")
    app.command("audit")(audit_command)
    app.command("restrict")(restrict_command)


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _ready(graph: Graph) -> Graph:
    schema.apply(graph)
    return graph


def _write_json(document: object, target: Path | None) -> None:
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    if target is None:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")


@subject_app.command("export")
def export_command(
    ctx: typer.Context,
    identifier: str = typer.Option(..., "--identifier", "-i", help="KIND:VALUE, e.g. email:ann@example.com."),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON document here [stdout]."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log)."),
) -> None:
    """Everything held about a person, as one JSON document (right of access)."""
    config = settings(ctx)
    with connected(ctx) as graph:
        try:
            person = subject.find(_ready(graph), identifier, region=config.default_region)
            document = subject.export(graph, person, actor=_by(), reason=reason)
        except PrivacyError as exc:
            fail(str(exc), code=1)
    _write_json(document, out_file)
    if out_file is not None:
        out.print(f"wrote {len(document['records'])} records of {len(document['profiles'])} profile(s) to {out_file}")


@subject_app.command("erase")
def erase_command(
    ctx: typer.Context,
    identifier: str = typer.Option(..., "--identifier", "-i", help="KIND:VALUE, e.g. email:ann@example.com."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log; no personal data)."),
) -> None:
    """Erase a person for good: data removed, later loads of their rows suppressed."""
    engine = engine_for(ctx)
    with connected(ctx) as graph:
        try:
            person = subject.find(_ready(graph), identifier, region=engine.region)
        except PrivacyError as exc:
            fail(str(exc), code=1)
        if not yes and not typer.confirm(
            f"Erase {len(person.uids)} records in {len(person.pids)} profile(s)? This cannot be undone."
        ):
            raise typer.Exit(1)
        report = erasure.erase(
            graph,
            person,
            secret=engine.suppression_key,
            rules=engine.rules,
            actor=_by(),
            reason=reason,
            touchpoints=engine.erasure_touchpoints,
        )
        # The quarantine files hold raw rows: theirs go too (files are outside the transaction).
        purged = engine.purge_quarantine(graph)
    out.print(json.dumps(report.as_dict() | {"quarantine_entries_removed": purged}, sort_keys=True), highlight=False)


def _since(text: str | None) -> datetime | None:
    """ISO 8601 time, or an age such as 7d / 12h / 30m."""
    if text is None:
        return None
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if text[:-1].isdigit() and text[-1:] in units:
        return datetime.now(UTC) - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--since: expected an ISO time or an age like 7d, 12h, 30m; got {text!r}")
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def audit_command(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="ISO time or age (7d, 12h, 30m)."),
    actor: str | None = typer.Option(None, "--actor", help="Only this actor (cli:USER, key or token subject)."),
    action: str | None = typer.Option(None, "--action", help="Only this action or family (steward, subject.erase)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many entries."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines on stdout."),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="Export as JSON lines to this file."),
) -> None:
    """The audit log: who accessed or changed whose data, when and why (oldest first)."""
    with connected(ctx) as graph:
        entries = audit.query(_ready(graph), since=_since(since), actor=actor, action=action, limit=limit)
    if out_file is not None:
        with out_file.open("w", encoding="utf-8") as handle:
            written = audit.write_jsonl(entries, handle)
        out.print(f"wrote {written} audit entries to {out_file}")
    elif as_json:
        audit.write_jsonl(entries, sys.stdout)
    else:
        for e in entries:
            out.print(
                f"{e['at']}  {e['actor']:<20} {e['action']:<18} {','.join(e['target'])}"
                f"{'  -- ' + e['reason'] if e['reason'] else ''}",
                highlight=False,
                markup=False,
            )


@retention_app.command("apply")
def retention_apply(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; delete nothing."),
) -> None:
    """Delete touchpoints older than their channel's configured age (C360_RETENTION_DAYS)."""
    config = settings(ctx)
    if not config.retention_days:
        fail('no retention configured: set C360_RETENTION_DAYS, e.g. {"web": 395}')
    with connected(ctx) as graph:
        counts = retention.apply(_ready(graph), config.retention_days, dry_run=dry_run, actor=_by())
        if not dry_run:  # the people whose touchpoints went have traits that counted them
            traits.refresh_pending(graph)
    verb = "would remove" if dry_run else "removed"
    for channel, count in counts.items():
        out.print(
            f"{channel:<12} {verb} {count} touchpoints older than {config.retention_days[channel]} days",
            highlight=False,
        )


@consent_app.command("set")
def consent_set(
    ctx: typer.Context,
    profile: str = typer.Argument(..., help="Profile id (or an alias)."),
    purpose: str = typer.Argument(..., help="marketing, analytics, personalization, ..."),
    channel: str = typer.Argument(..., help="email, sms, phone, web, ..."),
    status: str = typer.Argument(..., help="granted | denied | withdrawn"),
    evidence: str | None = typer.Option(None, "--evidence", help="Where the statement was made (form, call id)."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log)."),
) -> None:
    """Record a consent statement; the latest per purpose and channel wins."""
    with connected(ctx) as graph:
        try:
            consent.set(_ready(graph), profile, purpose, channel, status, by=_by(), evidence=evidence, reason=reason)
        except PrivacyError as exc:
            fail(str(exc))
    out.print(f"{profile}: {purpose}/{channel} {status}", highlight=False)


@consent_app.command("show")
def consent_show(ctx: typer.Context, profile: str = typer.Argument(..., help="Profile id.")) -> None:
    """The statements in force for a profile, as JSON."""
    with connected(ctx) as graph:
        effective = consent.for_profiles(_ready(graph), [profile]).get(profile, [])
    _write_json([s.as_dict() for s in effective], None)


def restrict_command(
    ctx: typer.Context,
    profile: str = typer.Argument(..., help="Profile id (or an alias)."),
    off: bool = typer.Option(False, "--off", help="Lift the restriction."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log)."),
) -> None:
    """Restrict processing of a profile: hidden from apps and contact selection, kept for stewards."""
    with connected(ctx) as graph:
        try:
            change = restriction.unrestrict if off else restriction.restrict
            live = change(_ready(graph), profile, by=_by(), reason=reason)
        except PrivacyError as exc:
            fail(str(exc))
    out.print(f"{live}: {'restriction lifted' if off else 'restricted'}", highlight=False)
