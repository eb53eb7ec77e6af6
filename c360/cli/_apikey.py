"""`c360 apikey create|list|revoke`: keys for the GraphQL API, stored hashed in the graph."""

from enum import StrEnum

import typer

from c360.cli._app import connected, fail, out
from resolvers import apikeys

__all__ = ["register"]


class RoleName(StrEnum):
    app = "app"
    steward = "steward"
    admin = "admin"


def register(app: typer.Typer) -> None:
    keys = typer.Typer(help="API keys for the GraphQL API.", no_args_is_help=True)
    keys.command("create")(create)
    keys.command("list")(list_keys)
    keys.command("revoke")(revoke)
    app.add_typer(keys, name="apikey")


def create(
    ctx: typer.Context,
    role: RoleName = typer.Option(..., "--role", help="app: front ends (PII masked); steward; admin."),
    name: str = typer.Option("", "--name", help="Who or what uses the key (shown in `by` of steward operations)."),
    scope: list[str] | None = typer.Option(
        None,
        "--scope",
        help="read, ingest, consent, steward, admin (repeat; default: the role's: app read; steward all but "
        "admin; admin all).",
    ),
    mapping: list[str] | None = typer.Option(
        None, "--mapping", help="A built-in mapping the key may ingest through (repeat; needed with --scope ingest)."
    ),
) -> None:
    """Create a key. It is printed once, on the last line; only its digest is stored."""
    try:
        with connected(ctx) as graph:
            key = apikeys.create(graph, role.value, name, scopes=scope or None, mappings=mapping or None)
    except ValueError as exc:
        fail(str(exc))
    scopes = " ".join(sorted(key.scopes))
    mappings = f", mappings {' '.join(key.mappings)}" if key.mappings else ""
    out.print(f"created {key.role} key {key.id} (scopes {scopes}{mappings})", highlight=False)
    out.print("keep it now, it cannot be shown again:", highlight=False)
    print(key.key)


def list_keys(ctx: typer.Context) -> None:
    """List keys (ids, roles, names; never secrets)."""
    with connected(ctx) as graph:
        rows = apikeys.list_keys(graph)
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        scopes = ",".join(row["scopes"]) if row.get("scopes") else "(role defaults)"
        mappings = f" mappings={','.join(row['mappings'])}" if row.get("mappings") else ""
        out.print(f"{row['id']}  {row['role']:<8} {state:<10} {row['name'] or ''}  {scopes}{mappings}", highlight=False)


def revoke(ctx: typer.Context, key_id: str = typer.Argument(..., help="The key id (after c360_).")) -> None:
    """Revoke a key; servers stop accepting it within C360_API_KEY_CACHE_SECONDS."""
    with connected(ctx) as graph:
        if not apikeys.revoke(graph, key_id, by="cli"):
            fail(f"no active key {key_id}")
    out.print(f"revoked {key_id}")
