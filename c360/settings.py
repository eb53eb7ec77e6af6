"""All configuration in one object, built at the edge (CLI, ASGI app, tests) and passed down."""

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, PositiveInt, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """c360 configuration, read from `C360_*` and `NEO4J_*` environment variables.

    Nothing reads the environment at import time: build one `Settings()` where the
    process starts and hand it down.
    """

    model_config = SettingsConfigDict(env_prefix="C360_", extra="ignore", frozen=True)

    home: Path = Field(Path(".c360"), description="Local state: managed Neo4j data, logs, password.")
    cache_dir: Path = Field(Path("~/.cache/c360"), description="Downloaded Neo4j jars, shared by homes.")

    neo4j_uri: str | None = Field(
        None,
        validation_alias=AliasChoices("NEO4J_URI", "C360_NEO4J_URI"),
        description="Use this Neo4j server; when unset c360 manages a local one.",
    )
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "C360_NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEO4J_PASSWORD", "C360_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "C360_NEO4J_DATABASE"))
    neo4j_query_timeout: float = Field(120.0, gt=0, description="Seconds before a query is cancelled.")

    neo4j_version: str = Field("5.26.30", description="Neo4j Community version for the managed server.")
    neo4j_bolt_port: int = Field(7687, ge=1, le=65535)
    neo4j_http_port: int = Field(7474, ge=1, le=65535)
    neo4j_heap: str = Field("2g", pattern=r"^\d+[kmg]$")
    neo4j_pagecache: str = Field("2g", pattern=r"^\d+[kmg]$")
    neo4j_start_timeout: float = Field(180.0, gt=0)
    java_home: Path | None = Field(None, validation_alias=AliasChoices("C360_JAVA_HOME", "JAVA_HOME"))

    batch_size: int = Field(5000, ge=1, le=100_000, description="Rows per write transaction.")
    default_region: str = Field("GB", min_length=2, max_length=2, description="Region for national phone numbers.")
    max_field_length: int = Field(4096, ge=16, description="Longer source values are quarantined.")
    max_line_bytes: int = Field(
        1 << 20, ge=1024, description="Longer source lines (CSV records, .gz lines once inflated) are quarantined."
    )
    max_row_fields: int = Field(
        500, ge=1, description="Rows with more fields (CSV columns, JSON keys and items) are quarantined."
    )

    bulk_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Processes mapping rows in `c360 load --bulk` (1: in the loading process itself). "
        "More pay only with cores to spare: handing mapped rows back costs the parent about a third "
        "of what mapping them did (README, Performance).",
    )

    rules: Path | None = Field(None, description="Match rules TOML file; default: the built-in rules.")
    resolve_on_load: bool = Field(False, description="Resolve incrementally after every load.")
    spark_master: str = Field(
        "local[*]", description="Spark master of `c360 resolve --full --engine spark` (local[*], spark://..., yarn)."
    )
    spark_shuffle_partitions: int = Field(
        8, ge=1, description="spark.sql.shuffle.partitions of the Spark engine (a few per core of the cluster)."
    )
    events_wait_seconds: float = Field(
        10.0, gt=0, description="How long a real-time event waits for its micro-batch before a 503."
    )
    events_max_pending: int = Field(
        20000, ge=1, description="Records waiting for resolution above which new events get a 429."
    )

    # Privacy operations (graph/privacy).
    suppression_key: SecretStr | None = Field(
        None,
        description="HMAC key for erasure suppression entries; default: generated into $C360_HOME/suppression.key.",
    )
    retention_days: dict[str, PositiveInt] = Field(
        default_factory=dict, description='Touchpoint retention per channel, JSON: {"web": 395, "email": 730}.'
    )
    erasure_touchpoints: Literal["delete", "anonymize"] = Field(
        "delete", description="What erasure does with the person's touchpoints."
    )

    # The change feed (graph/changes) and webhook delivery (c360/delivery.py).
    changes_retention_days: PositiveInt = Field(
        30, description="Change events older than this are deleted (hourly by the delivery loop; `c360 changes prune`)."
    )
    changes_poll_seconds: float = Field(
        0.05, gt=0, le=10, description="How often subscriptions and webhook delivery look for new events."
    )
    changes_touchpoint_types: list[str] = Field(
        default_factory=list,
        description=(
            'Touchpoint types whose new links are `touchpoint.added` events, JSON: ["order", "ticket"] (default none).'
        ),
    )
    webhooks_allow_private: bool = Field(
        False,
        description="Allow webhook URLs that resolve to loopback or private addresses (tests, in-house receivers).",
    )
    webhooks_max_attempts: int = Field(8, ge=1, le=100, description="Failed attempts before a dead letter.")
    webhooks_backoff_seconds: float = Field(1.0, gt=0, description="First retry delay; doubles per attempt.")
    webhooks_backoff_max_seconds: float = Field(600.0, gt=0, description="Longest retry delay.")
    webhooks_timeout_seconds: float = Field(10.0, gt=0, description="Per delivery request.")
    webhooks_concurrency: int = Field(
        8, ge=1, le=64, description="Deliveries in flight at once per endpoint (events about different profiles)."
    )
    webhooks_lease_seconds: float = Field(
        15.0, ge=1, description="How long the delivering process holds the lease before another may take over."
    )
    webhooks_in_serve: bool = Field(True, description="Run the webhook delivery loop inside `c360 serve`.")
    # Computed traits (graph/traits): stored with the model by `c360 traits refresh --all`.
    traits_new_days: int = Field(30, ge=1, description="First order at most this many days ago: lifecycle `new`.")
    traits_active_days: int = Field(90, ge=1, description="Last order at most this many days ago: `active`.")
    traits_lapsed_days: int = Field(365, ge=2, description="Last order longer ago: `lapsed` (between: `at_risk`).")
    traits_engagement_days: int = Field(90, ge=1, description="Window of the email and web engagement counts.")
    traits_clv_horizon_days: int = Field(365, ge=1, description="Horizon of predicted CLV and expected orders.")
    traits_as_of: datetime | None = Field(None, description="Reference time of traits; default: the refresh time.")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Server log level.")
    log_format: Literal["text", "json"] = Field("text", description="Server logs as text or one JSON object per line.")

    api_host: str = Field("127.0.0.1", description="Interface `c360 serve` listens on.")
    api_port: int = Field(8360, ge=1, le=65535)
    api_workers: int = Field(1, ge=1, description="Server processes of `c360 serve` (one per core it may use).")
    api_access_log: bool = Field(False, description="One log line per request: id, route, status, time.")
    api_graphiql: bool = Field(True, description="GraphiQL on GET /graphql (queries stay POST-only).")
    api_debug: bool = Field(False, description="Unmasked error messages; never in production.")
    api_max_depth: int = Field(12, ge=1)
    api_max_aliases: int = Field(30, ge=0)
    api_max_tokens: int = Field(5000, ge=100)
    api_max_page_size: int = Field(100, ge=1)
    api_max_body_bytes: int = Field(262144, ge=1024)
    api_key_cache_seconds: float = Field(30.0, ge=0, description="How long a verified API key is trusted.")
    api_jwt_key: SecretStr | None = Field(None, description="HMAC secret or PEM public key for JWTs.")
    api_jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    api_jwt_issuer: str | None = None
    api_jwt_audience: str | None = None
    api_jwt_role_claim: str = "c360_role"
    api_jwt_scope_claim: str = Field("scope", description="JWT claim with space-separated scopes.")
    api_jwt_mappings_claim: str = Field("c360_mappings", description="JWT claim listing the mappings it may ingest.")
    api_max_cost: int = Field(50_000, ge=1, description="Largest estimated answer (fields) a query may ask for.")
    api_request_timeout: float = Field(30.0, gt=0, description="Seconds before a GraphQL request is stopped.")
    api_introspection: Literal["app", "steward", "admin", "none"] = Field(
        "steward", description="Lowest role allowed to introspect the schema."
    )
    api_rate_limit: float = Field(50.0, ge=0, description="Requests/s per key in each server process; 0: off.")
    api_rate_burst: int = Field(100, ge=1, description="Requests a key may send at once above its rate.")
    api_app_lookup_kinds: tuple[str, ...] = Field(
        ("email", "phone", "loyalty", "login"),
        description="Identifier kinds the app role may look profiles up by.",
    )
    api_id_key: SecretStr | None = Field(
        None, description="HMAC key of masked identifier ids; default: generated into $C360_HOME/api-id.key."
    )

    @property
    def managed(self) -> bool:
        """True when c360 runs its own Neo4j rather than a given server."""
        return self.neo4j_uri is None

    @property
    def neo4j_dir(self) -> Path:
        return self.home / "neo4j"
