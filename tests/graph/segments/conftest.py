from tests.graph.traits.conftest import feed

__all__ = ["feed"]
