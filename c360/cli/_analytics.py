"""`c360 traits ...`, `c360 segment ...`, `c360 export segment`: analytics on the profile."""

import getpass
import json
import sys
from pathlib import Path

import duckdb
import typer

from c360 import runtime
from c360.cli._app import connected, fail, out, settings
from c360.cli._app import engine as engine_for
from c360.tabular import FORMATS, write_rows
from graph import segments, traits
from graph.privacy import PrivacyError, consent, do_not_contact
from graph.segments.activation import EXPORT_FIELDS, EXPORT_TYPES, export_members

traits_app = typer.Typer(help="Computed traits per profile (RFM, lifecycle, CLV, engagement, sentiment).")
segment_app = typer.Typer(help="Saved segments: definitions, preview, materialized membership.", no_args_is_help=True)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.add_typer(traits_app, name="traits")
    app.add_typer(segment_app, name="segment")
    export_app.command("segment")(export_segment)
    export_app.command("suppression")(export_suppression)


def actor() -> str:
    return f"cli:{getpass.getuser()}"


@traits_app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    all_profiles: bool = typer.Option(
        False, "--all", help="Every profile, and fit the RFM quintiles and CLV model again over the whole base."
    ),
    pids: list[str] = typer.Argument(None, help="Profile ids to refresh (default: those that are due)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Recompute traits: pending profiles (default), the given ones, or all of them (--all)."""
    if all_profiles and pids:
        fail("give profile ids or --all, not both")
    try:
        config = runtime.trait_config(settings(ctx))
    except ValueError as exc:
        fail(f"invalid trait thresholds: {exc}")
    with connected(ctx) as graph, out.status("computing traits ..."):
        if all_profiles:
            report = traits.refresh_all(graph, config)
        elif pids:
            report = traits.refresh(graph, pids)
        else:
            report = traits.refresh_pending(graph)
    if as_json:
        print(json.dumps(report.__dict__))
        return
    line = f"traits refreshed for {report.profiles:,} profiles in {report.seconds:.1f} s"
    if report.scored_texts:
        line += f" ({report.scored_texts:,} texts scored for sentiment)"
    out.print(line, highlight=False)
    if report.customers is not None:
        fitted = "fitted" if report.clv_fitted else "not fitted"
        out.print(f"model over {report.customers:,} customers; CLV model {fitted}", highlight=False)
    if report.clv_note:
        out.print(f"  note: {report.clv_note}", highlight=False)


def _definition(text: str) -> str:
    """A definition given inline as JSON, or as @file."""
    if text.startswith("@"):
        try:
            return Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"cannot read {text[1:]}: {exc}")
    return text


@segment_app.command("create")
def segment_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Segment name (letters, digits, '-', '_')."),
    definition: str = typer.Option(..., "--definition", "-d", help="JSON definition, or @file.json."),
) -> None:
    """Create or replace a segment and materialize its membership (`update` is the same)."""
    with connected(ctx) as graph:
        try:
            saved = segments.save(graph, name, _definition(definition), by=actor())
        except segments.SegmentError as exc:
            fail(str(exc))
    out.print(f"segment {saved['name']}: {saved['size']:,} members", highlight=False)


segment_app.command("update")(segment_create)


@segment_app.command("preview")
def segment_preview(
    ctx: typer.Context,
    definition: str = typer.Option(..., "--definition", "-d", help="JSON definition, or @file.json."),
    sample: int = typer.Option(10, "--sample", min=0, max=100),
) -> None:
    """Size and first members of a definition, without saving it."""
    with connected(ctx) as graph:
        try:
            found = segments.preview(graph, _definition(definition), sample)
        except segments.SegmentError as exc:
            fail(str(exc))
    print(json.dumps({"size": found.size, "sample": found.sample}))


@segment_app.command("list")
def segment_list(ctx: typer.Context) -> None:
    """Saved segments with their sizes and definitions (JSON lines)."""
    with connected(ctx) as graph:
        for row in segments.list_all(graph):
            print(json.dumps({k: str(v) if k.endswith("_at") else v for k, v in row.items()}))


@segment_app.command("delete")
def segment_delete(ctx: typer.Context, name: str) -> None:
    """Delete a segment; its members' exits are recorded."""
    with connected(ctx) as graph:
        try:
            exited = segments.delete(graph, name)
        except segments.SegmentError as exc:
            fail(str(exc))
    out.print(f"deleted {name} ({exited:,} members exited)", highlight=False)


@segment_app.command("refresh")
def segment_refresh(ctx: typer.Context, name: str) -> None:
    """Re-evaluate a segment over the whole base (time windows move even when nothing loads)."""
    with connected(ctx) as graph:
        try:
            entered, exited = segments.refresh_segment(graph, name)
        except segments.SegmentError as exc:
            fail(str(exc))
    out.print(f"{name}: {entered:,} entered, {exited:,} exited", highlight=False)


def export_segment(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Segment name."),
    fmt: str = typer.Option("jsonl", "--format", help="csv, jsonl or parquet (parquet needs --out)."),
    fields: str = typer.Option("profile_id", "--fields", help="Comma-separated: " + ", ".join(EXPORT_FIELDS)),
    consent: str | None = typer.Option(None, "--consent", help="PURPOSE:CHANNEL every exported person consented to."),
    out_path: Path = typer.Option(Path("-"), "--out", "-o", help="File ('-' for stdout)."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log; no personal data)."),
) -> None:
    """Stream a segment's members with chosen golden fields and traits; the export is audited."""
    if fmt not in FORMATS:
        fail(f"--format is one of {', '.join(FORMATS)}")
    target = None if str(out_path) == "-" else out_path
    if fmt == "parquet" and target is None:
        fail("parquet is written to a file: give --out FILE")
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    pair = consent_pair(consent)
    try:
        with connected(ctx) as graph:
            rows = export_members(graph, name, wanted, actor=actor(), consent=pair, reason=reason)
            count = write_rows(rows, wanted, fmt, target, types=EXPORT_TYPES, stdout=sys.stdout)
    except (ValueError, segments.SegmentError, duckdb.Error) as exc:
        fail(str(exc))
    if target is not None:
        out.print(f"wrote {count:,} members of {name} to {target}", highlight=False)


def consent_pair(value: str | None) -> tuple[str, str] | None:
    try:
        return consent.pair(value)
    except ValueError:
        fail("--consent is PURPOSE:CHANNEL, e.g. marketing:email")


def export_suppression(
    ctx: typer.Context,
    fmt: str = typer.Option("jsonl", "--format", help="csv, jsonl or parquet (parquet needs --out)."),
    consent: str | None = typer.Option(
        None, "--consent", help="PURPOSE:CHANNEL: also everyone without consent in force for it."
    ),
    plain: bool = typer.Option(False, "--plain", help="Plain identifiers besides the keyed hashes (admins only)."),
    kinds: str = typer.Option(",".join(do_not_contact.CONTACT_KINDS), "--kinds", help="Identifier kinds to list."),
    out_path: Path = typer.Option(Path("-"), "--out", "-o", help="File ('-' for stdout)."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log; no personal data)."),
) -> None:
    """The suppression list: erased, restricted and (with --consent) unconsented people, as keyed
    hashes of their identifiers (HMAC under the suppression key); audited. The local operator is an admin."""
    if fmt not in FORMATS:
        fail(f"--format is one of {', '.join(FORMATS)}")
    target = None if str(out_path) == "-" else out_path
    if fmt == "parquet" and target is None:
        fail("parquet is written to a file: give --out FILE")
    pair = consent_pair(consent)
    fields = list(do_not_contact.PLAIN_FIELDS if plain else do_not_contact.FIELDS)
    engine = engine_for(ctx)
    try:
        with connected(ctx) as graph:
            rows = do_not_contact.suppression_list(
                graph,
                secret=engine.suppression_key,
                actor=actor(),
                role="admin",
                plain=plain,
                consent_for=pair,
                kinds=[k.strip().lower() for k in kinds.split(",") if k.strip()],
                reason=reason,
            )
            count = write_rows(rows, fields, fmt, target, stdout=sys.stdout)
    except (ValueError, PrivacyError, duckdb.Error) as exc:
        fail(str(exc))
    if target is not None:
        out.print(f"wrote {count:,} suppression rows to {target}", highlight=False)
