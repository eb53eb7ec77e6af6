"""The API's settings: the `api_*` fields of the c360 `Settings` (env `C360_API_*`), read once."""

from dataclasses import dataclass, fields
from typing import Any

from c360.settings import Settings

__all__ = ["ApiConfig"]


@dataclass(frozen=True)
class ApiConfig:
    host: str = "127.0.0.1"
    port: int = 8360
    workers: int = 1
    graphiql: bool = True
    """Serve the GraphiQL page on GET /graphql (queries still go over POST only)."""
    debug: bool = False
    """Show internal error messages to callers; never in production."""
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_page_size: int = 100
    max_body_bytes: int = 256 * 1024
    key_cache_seconds: float = 30.0
    """How long a verified API key is trusted without asking Neo4j again (and so how long a
    revoked key may still work)."""
    jwt_key: str | None = None
    """HMAC secret or PEM public key that signs JWT bearer tokens; None disables JWTs."""
    jwt_algorithms: tuple[str, ...] = ("RS256",)
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_role_claim: str = "c360_role"

    @classmethod
    def from_settings(cls, settings: Settings) -> "ApiConfig":
        values: dict[str, Any] = {}
        for field in fields(cls):
            value = getattr(settings, f"api_{field.name}")
            if value is None:
                continue
            if hasattr(value, "get_secret_value"):
                value = value.get_secret_value()
            if field.name == "jwt_algorithms":
                value = tuple(value)
            values[field.name] = value
        return cls(**values)
