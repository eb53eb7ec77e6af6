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
    jwt_scope_claim: str
    """Space-separated scopes (OAuth style); without it a JWT gets its role's default scopes."""
    jwt_mappings_claim: str
    # Untrusted callers (README "Security").
    max_cost: int
    """Largest static cost (estimated fields in the answer) a document may have."""
    request_timeout: float
    """Seconds a GraphQL request may take before it is answered with a TIMEOUT error."""
    introspection: str
    """The lowest role that may introspect the schema: app, steward, admin, or none."""
    rate_limit: float
    """Requests per second per key or JWT subject, in each server process; 0 turns it off."""
    rate_burst: int
    app_lookup_kinds: tuple[str, ...]
    """Identifier kinds the app role may look profiles up by (exact values only)."""
    changes_poll_seconds: float
    """How often the head watcher looks for new events while subscriptions wait."""
    webhooks_allow_private: bool
    """Webhook URLs may resolve to loopback or private addresses."""
