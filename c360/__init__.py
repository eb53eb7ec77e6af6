"""c360: a customer-360 identity and relationship store on Neo4j."""

from c360.settings import Settings

__all__ = ["Settings", "__version__"]
__version__ = "0.1.0"
