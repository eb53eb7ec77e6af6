class Neo4jServerError(RuntimeError):
    """The managed Neo4j server could not be installed, started or stopped."""
