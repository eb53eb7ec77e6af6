"""The edge: settings become the objects the layers below take as plain values.

One place turns `Settings` into the managed server, connections, the write-path `Engine` and the
API's `ApiConfig`, so no layer below reads configuration of its own.
"""

import dataclasses
from typing import Any

from neo4j.api import BookmarkManager
from pydantic import SecretStr

from c360 import keyfile
from c360.delivery import DeliveryOptions
from c360.settings import Settings
from graph.async_connection import AsyncGraph
from graph.connection import Graph
from graph.identity import MatchRules, load_rules
from graph.identity.batching import MicroBatcher
from graph.server import ManagedNeo4j, Neo4jServerError
from graph.traits import TraitConfig
from loaders.engine import Engine
from resolvers.config import ApiConfig

__all__ = [
    "Connector",
    "api_config",
    "connect",
    "connect_async",
    "delivery_options",
    "engine",
    "managed_server",
    "target",
    "trait_config",
]


def managed_server(settings: Settings) -> ManagedNeo4j:
    return ManagedNeo4j(
        root=settings.neo4j_dir.resolve(),
        version=settings.neo4j_version,
        bolt_port=settings.neo4j_bolt_port,
        http_port=settings.neo4j_http_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        java_home=settings.java_home,
        start_timeout=settings.neo4j_start_timeout,
        cache=settings.cache_dir.expanduser().resolve(),
    )


def target(settings: Settings, *, start: bool = False) -> tuple[str, tuple[str, str]]:
    """URI and credentials of NEO4J_URI when set; otherwise of the managed server, started if asked."""
    if settings.neo4j_uri is not None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return settings.neo4j_uri, (settings.neo4j_user, password)
    server = managed_server(settings)
    if start:
        server.start()
    elif not server.status().running:
        raise Neo4jServerError("the managed Neo4j is not running; start it with `c360 neo4j start`")
    return server.uri, (server.user, server.password())


def connect(settings: Settings, *, start: bool = True) -> Graph:
    uri, auth = target(settings, start=start)
    return Graph.connect(uri, auth, settings.neo4j_database, settings.neo4j_query_timeout)


async def connect_async(settings: Settings, bookmarks: BookmarkManager | None = None) -> AsyncGraph:
    """For an event loop; never starts the managed server (the caller's `connect` did).
    `bookmarks`: the blocking graph's chain, so reads see its writes on a cluster."""
    uri, auth = target(settings)
    return await AsyncGraph.connect(uri, auth, settings.neo4j_database, settings.neo4j_query_timeout, bookmarks)


@dataclasses.dataclass(frozen=True)
class Connector:
    """The API's seam to Neo4j (resolvers.app.Connector): it never reads settings itself."""

    settings: Settings

    def connect(self) -> Graph:
        return connect(self.settings)

    async def connect_async(self, bookmarks: BookmarkManager | None = None) -> AsyncGraph:
        return await connect_async(self.settings, bookmarks)


def rules(settings: Settings) -> MatchRules:
    """`C360_RULES`, else the built-in rules."""
    return load_rules(settings.rules)


def engine(settings: Settings, match_rules: MatchRules | None = None) -> Engine:
    """The process's one write-path engine (raises RulesError for a bad rules file)."""
    return Engine(
        rules=match_rules or rules(settings),
        suppression_key=keyfile.suppression_key(settings),
        region=settings.default_region,
        max_field_length=settings.max_field_length,
        quarantine_dir=settings.home / "quarantine",
        erasure_touchpoints=settings.erasure_touchpoints,
        touchpoint_events=tuple(settings.changes_touchpoint_types),
        batcher=MicroBatcher(wait_seconds=settings.events_wait_seconds, max_pending=settings.events_max_pending),
    )


def trait_config(settings: Settings) -> TraitConfig:
    """The trait thresholds (`C360_TRAITS_*`); `c360 traits refresh --all` stores them with the model."""
    return TraitConfig(
        new_days=settings.traits_new_days,
        active_days=settings.traits_active_days,
        lapsed_days=settings.traits_lapsed_days,
        engagement_days=settings.traits_engagement_days,
        clv_horizon_days=settings.traits_clv_horizon_days,
        as_of=settings.traits_as_of,
    )


def api_config(settings: Settings) -> ApiConfig:
    """ApiConfig's fields are fields of Settings (`api_*` or the change feed's): defaults live in Settings only."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(ApiConfig):
        # Most are `api_*` settings; the change feed's own knobs keep their names.
        name = f"api_{item.name}" if f"api_{item.name}" in Settings.model_fields else item.name
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, list):
            value = tuple(value)
        values[item.name] = value
    return ApiConfig(**values)


def delivery_options(settings: Settings) -> DeliveryOptions:
    return DeliveryOptions(
        allow_private=settings.webhooks_allow_private,
        max_attempts=settings.webhooks_max_attempts,
        backoff_seconds=settings.webhooks_backoff_seconds,
        backoff_max_seconds=settings.webhooks_backoff_max_seconds,
        timeout_seconds=settings.webhooks_timeout_seconds,
        lease_seconds=settings.webhooks_lease_seconds,
        poll_seconds=settings.changes_poll_seconds,
        concurrency=settings.webhooks_concurrency,
        retention_days=settings.changes_retention_days,
    )
