"""A real Neo4j Community server run by c360 on the JVM, from artifacts on Maven Central."""

from graph.server._errors import Neo4jServerError
from graph.server._manager import ManagedNeo4j, ServerStatus

__all__ = ["ManagedNeo4j", "Neo4jServerError", "ServerStatus"]
