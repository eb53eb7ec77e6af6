"""Batch resolution on Apache Spark, for record sets that outgrow one machine (optional `c360[spark]`).

Spark computes what grows with the data (hold-out verdicts, identifier edges, connected
components, and Splink scores when a match model exists); the result is written back through
the in-process engine's own stable-id, survivorship and history logic (graph/identity/resolve.py)
under the resolution lease. Nothing here imports pyspark at module import time.
"""

from graph.identity.spark.engine import SparkEngine, SparkUnavailable, resolve_full_spark

__all__ = ["SparkEngine", "SparkUnavailable", "resolve_full_spark"]
