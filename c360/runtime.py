"""Turn settings into a connected `Graph`: the given server, or the managed one."""

from graph.connection import Graph
from graph.server import Neo4jServerError, managed_server

from c360.settings import Settings

__all__ = ["connect"]


def connect(settings: Settings, *, start: bool = True) -> Graph:
    """Connect to NEO4J_URI when set; otherwise to the managed server, starting it if asked."""
    if settings.neo4j_uri is not None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return Graph.connect(
            settings.neo4j_uri, (settings.neo4j_user, password),
            settings.neo4j_database, settings.neo4j_query_timeout,
        )
    server = managed_server(settings)
    if start:
        server.start()
    elif not server.status().running:
        raise Neo4jServerError("the managed Neo4j is not running; start it with `c360 neo4j start`")
    return Graph.connect(
        server.uri, (server.user, server.password()),
        settings.neo4j_database, settings.neo4j_query_timeout,
    )
