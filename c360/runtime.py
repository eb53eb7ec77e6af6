"""Turn settings into a connected `Graph` (or `AsyncGraph`): the given server, or the managed one."""

from c360.settings import Settings
from graph.async_connection import AsyncGraph
from graph.connection import Graph
from graph.server import Neo4jServerError, managed_server

__all__ = ["connect", "connect_async", "target"]


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


async def connect_async(settings: Settings) -> AsyncGraph:
    """For an event loop; never starts the managed server (the caller's `connect` did)."""
    uri, auth = target(settings)
    return await AsyncGraph.connect(uri, auth, settings.neo4j_database, settings.neo4j_query_timeout)
