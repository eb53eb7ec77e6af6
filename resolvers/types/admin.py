"""The caller and API keys."""

from datetime import datetime

import strawberry

from resolvers.store import Row

__all__ = ["ApiKeyInfo", "Viewer"]


@strawberry.type(description="Who is calling and with which role.")
class Viewer:
    name: str
    role: str


@strawberry.type(description="An API key (never its secret).")
class ApiKeyInfo:
    id: str
    role: str
    name: str | None
    scopes: list[str] | None = strawberry.field(description="Its own scopes; null: its role's defaults.")
    mappings: list[str] | None = strawberry.field(description="Mappings it may ingest through; null: all.")
    created_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: Row) -> "ApiKeyInfo":
        return cls(
            id=row["id"],
            role=row["role"],
            name=row.get("name") or None,
            scopes=row.get("scopes"),
            mappings=row.get("mappings"),
            created_at=row.get("created_at"),
            revoked_at=row.get("revoked_at"),
        )
