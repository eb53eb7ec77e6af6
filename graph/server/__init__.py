"""A real Neo4j Community server run by c360 on the JVM, from artifacts on Maven Central."""

from c360.settings import Settings
from graph.server._errors import Neo4jServerError
from graph.server._manager import ManagedNeo4j, ServerStatus

__all__ = ["ManagedNeo4j", "Neo4jServerError", "ServerStatus", "managed_server"]


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
