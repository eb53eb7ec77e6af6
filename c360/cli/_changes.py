"""`c360 changes` (a tail of the change feed for scripts), `c360 changes prune`, and
`c360 webhooks add|list|remove|dead-letters|replay|run`."""

import getpass
import json
import sys
import threading
from datetime import UTC, datetime

import typer

from c360 import logs, runtime
from c360.cli._app import connected, fail, out, settings
from c360.delivery import Deliverer
from graph import schema
from graph.changes import events as ev
from graph.changes import outbox, webhooks

__all__ = ["register"]

changes_app = typer.Typer(
    help="The change feed: every profile change as an event with a position.", invoke_without_command=True
)
webhooks_app = typer.Typer(help="Signed webhook deliveries of the change feed.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(changes_app, name="changes")
    app.add_typer(webhooks_app, name="webhooks")


def _line(event: dict[str, object], as_json: bool) -> str:
    if as_json:
        return webhooks.body(event).decode()
    fields = event["fields"] or json.loads(str(event["data"] or "{}")) or ""
    return f"{event['position']}\t{event['type']}\t{event['profile_id']}\t{fields}"


@changes_app.callback()
def changes_command(
    ctx: typer.Context,
    since: int = typer.Option(0, "--since", min=0, help="Events after this position (0: every event kept)."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep waiting for new events (Ctrl-C stops)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document per line, as webhooks receive them."),
    types: list[str] = typer.Option([], "--type", "-t", help="Only these event types (repeatable)."),
    profile: str | None = typer.Option(None, "--profile", help="Only events about this profile id."),
) -> None:
    """Print events after --since in position order; with --follow, keep printing new ones."""
    if ctx.invoked_subcommand is not None:
        return
    unknown = sorted(set(types) - set(ev.CATALOGUE))
    if unknown:
        fail(f"unknown event types {unknown}; expected some of {sorted(ev.CATALOGUE)}")
    config = settings(ctx)
    position = since
    with connected(ctx) as graph:
        stop = threading.Event()
        try:
            while True:
                page = outbox.page(graph, position, 500, types=types or None, pid=profile)
                for event in page:
                    sys.stdout.write(_line(event, as_json) + "\n")
                    position = event["position"]
                sys.stdout.flush()
                if page:
                    continue
                if not follow:
                    break
                # With filters, skip what did not match so the next read starts from the head.
                position = max(position, outbox.head(graph)) if types or profile else position
                stop.wait(max(config.changes_poll_seconds, 0.1))
        except KeyboardInterrupt:
            pass


@changes_app.command("prune")
def prune_command(
    ctx: typer.Context,
    days: int | None = typer.Option(None, "--days", min=1, help="Keep this many days [C360_CHANGES_RETENTION_DAYS]."),
) -> None:
    """Delete events older than the retention (webhook endpoints further behind lose them)."""
    keep = days or settings(ctx).changes_retention_days
    with connected(ctx) as graph:
        pruned = outbox.prune(graph, keep)
    out.print(f"pruned {pruned} events older than {keep} days")


def _by() -> str:
    return f"cli:{getpass.getuser()}"


@webhooks_app.command("add")
def add_command(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="http(s) URL that receives POSTed events."),
    types: list[str] = typer.Option([], "--type", "-t", help="Event types to send (repeatable; default all)."),
    secret: str | None = typer.Option(None, "--secret", help="Signing secret (default: generated, shown once)."),
    since: int | None = typer.Option(None, "--since", min=0, help="Start after this position (default: now)."),
) -> None:
    """Register an endpoint; prints its id and signing secret."""
    config = settings(ctx)
    with connected(ctx) as graph:
        schema.apply(graph)
        try:
            endpoint, key = webhooks.create(
                graph,
                url,
                types or None,
                by=_by(),
                allow_private=config.webhooks_allow_private,
                secret=secret,
                since=since,
            )
        except webhooks.WebhookError as exc:
            fail(str(exc))
    out.print(f"endpoint {endpoint}; signing secret (shown once):")
    print(key)


@webhooks_app.command("list")
def list_command(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Endpoints with their cursor, failures and dead letters (never their secrets)."""
    with connected(ctx) as graph:
        rows = webhooks.endpoints(graph)
    if as_json:
        print(json.dumps(rows, default=str, indent=2))
        return
    for row in rows:
        state = f"attempts={row['attempts']} last_error={row['last_error']}" if row["attempts"] else "ok"
        types = row["types"] or "all"
        out.print(f"{row['id']}\t{row['url']}\t{types}\tcursor={row['cursor']}\t{state}\tdead={row['dead_letters']}")


@webhooks_app.command("remove")
def remove_command(ctx: typer.Context, endpoint: str = typer.Argument(...)) -> None:
    with connected(ctx) as graph:
        if not webhooks.delete(graph, endpoint):
            fail(f"no such endpoint: {endpoint}", 1)
    out.print(f"removed {endpoint}")


@webhooks_app.command("dead-letters")
def dead_letters_command(
    ctx: typer.Context,
    endpoint: str | None = typer.Option(None, "--endpoint"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Events an endpoint never acknowledged after every retry."""
    with connected(ctx) as graph:
        rows = webhooks.dead_letters(graph, endpoint)
    for row in rows:
        print(
            json.dumps(row, default=str)
            if as_json
            else f"{row['id']}\t{row['endpoint_id']}\t{row['position']}\t{row['type']}\t{row['last_error']}"
        )


@webhooks_app.command("replay")
def replay_command(
    ctx: typer.Context,
    ids: list[str] = typer.Argument(None, help="Dead-letter ids."),
    endpoint: str | None = typer.Option(None, "--endpoint", help="Every dead letter of this endpoint."),
) -> None:
    """Send dead letters again (the delivery loop picks them up)."""
    if not ids and not endpoint:
        fail("name dead-letter ids or --endpoint")
    with connected(ctx) as graph:
        count = webhooks.replay(graph, list(ids or []), endpoint)
    out.print(f"{count} dead letters queued for replay")


@webhooks_app.command("run")
def run_command(ctx: typer.Context) -> None:
    """Run the delivery loop in the foreground (also runs inside `c360 serve`; one delivers at a time)."""
    config = settings(ctx)
    logs.configure(config.log_level, config.log_format)
    stop = threading.Event()
    with connected(ctx) as graph:
        schema.apply(graph)
        deliverer = Deliverer(graph, runtime.delivery_options(config))
        out.print(f"delivering as {deliverer.holder} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z (Ctrl-C stops)")
        try:
            deliverer.run(stop)
        except KeyboardInterrupt:
            stop.set()
