"""The API's settings, as plain values. Built at the edge from the `api_*` fields of the
application's settings (env `C360_API_*`, where the defaults and docs live): c360.runtime.api_config."""

from dataclasses import dataclass

__all__ = ["ApiConfig"]


@dataclass(frozen=True, kw_only=True)
class ApiConfig:
    host: str
    port: int
    workers: int
    access_log: bool
    """One log line per request (id, route, status, time)."""
    graphiql: bool
    """Serve the GraphiQL page on GET /graphql (queries still go over POST only)."""
    debug: bool
    """Show internal error messages to callers; never in production."""
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_page_size: int
    max_body_bytes: int
    key_cache_seconds: float
    """How long a verified API key is trusted without asking Neo4j again (and so how long a
    revoked key may still work)."""
    jwt_key: str | None
    """HMAC secret or PEM public key that signs JWT bearer tokens; None disables JWTs."""
    jwt_algorithms: tuple[str, ...]
    jwt_issuer: str | None
    jwt_audience: str | None
    jwt_role_claim: str
