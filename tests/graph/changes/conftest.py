from tests.graph.identity.conftest import load_csv

__all__ = ["load_csv"]
