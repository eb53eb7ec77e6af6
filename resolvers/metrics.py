"""Prometheus metrics of one app: GraphQL operations, HTTP requests, Neo4j query time.

Each app owns its registry (not the process-global one), so several apps in one process (tests)
never clash. Operation names come from callers, so only a bounded number of distinct, well-formed
names become label values; the rest count as "other".

Under `c360 serve --workers N` every worker writes its values to files in a shared directory
(prometheus_client's multiprocess mode, switched on by the supervisor for the workers it starts),
and `/metrics`, whichever worker answers, reports the sum over all of them.
"""

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from strawberry.extensions import SchemaExtension

from graph.identity.batching import BatchStats

__all__ = ["CONTENT_TYPE_LATEST", "Metrics", "MetricsExtension", "write_path_text"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_MAX_OPERATIONS = 200
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, shared_dir: Path | None = None) -> None:
        self._shared_dir = shared_dir
        self.registry = CollectorRegistry(auto_describe=False)
        self.operations = Counter(
            "c360_graphql_operations",
            "GraphQL operations by operation name and outcome.",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.operation_seconds = Histogram(
            "c360_graphql_operation_seconds",
            "Time to execute a GraphQL operation.",
            ["operation"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.query_seconds = Histogram(
            "c360_neo4j_query_seconds",
            "Time to run one catalog query in Neo4j and fetch its rows.",
            ["query"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.http_requests = Counter(
            "c360_http_requests",
            "HTTP requests by route and status code.",
            ["route", "status"],
            registry=self.registry,
        )
        self._operation_names: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self._operation_names:
            return name
        if not _NAME.fullmatch(name) or len(self._operation_names) >= _MAX_OPERATIONS:
            return "other"
        self._operation_names.add(name)
        return name

    def render(self) -> bytes:
        if self._shared_dir is None:
            return generate_latest(self.registry)
        every_worker = CollectorRegistry()
        MultiProcessCollector(every_worker, path=str(self._shared_dir))  # type: ignore[no-untyped-call]
        return generate_latest(every_worker)


def write_path_text(pending: int, oldest_age: float, stats: BatchStats) -> bytes:
    """The write path's gauges in Prometheus text: backlog from Neo4j (the same for every worker),
    micro-batches of the worker that answers (`c360 serve --workers N`: one worker's view)."""
    values = [
        ("c360_pending_records", "gauge", "Records written but not resolved yet.", pending),
        ("c360_pending_oldest_seconds", "gauge", "Age of the oldest pending record.", round(oldest_age, 3)),
        ("c360_microbatches_total", "counter", "Micro-batches this worker ran.", stats.batches),
        ("c360_microbatch_records_total", "counter", "Records its micro-batches resolved.", stats.records),
        ("c360_microbatch_seconds_total", "counter", "Time in its micro-batches.", round(stats.seconds_total, 4)),
        ("c360_microbatch_last_size", "gauge", "Records in its last micro-batch.", stats.last_size),
        ("c360_microbatch_last_seconds", "gauge", "Duration of its last micro-batch.", round(stats.last_seconds, 4)),
        ("c360_events_waiting", "gauge", "Events waiting for its next micro-batch.", stats.waiting),
        ("c360_events_rejected_total", "counter", "Events refused with 429 (backlog too deep).", stats.rejected),
        ("c360_events_timed_out_total", "counter", "Events answered 503 (batch too late).", stats.timed_out),
    ]
    lines = []
    for name, kind, text, value in values:
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", f"{name} {value}"]
    return ("\n".join(lines) + "\n").encode()


class MetricsExtension(SchemaExtension):
    """Counts and times every operation under its (bounded) operation name."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        failed = True
        try:
            yield
            result = self.execution_context.result
            failed = result is None or bool(result.errors)
        finally:
            # A document that does not parse ends the operation with an exception thrown in here.
            context = self.execution_context
            metrics: Metrics = context.context.metrics
            label = metrics.operation_label(_safe_name(context))
            metrics.operations.labels(label, "error" if failed else "ok").inc()
            metrics.operation_seconds.labels(label).observe(time.perf_counter() - started)


def _safe_name(context: Any) -> str | None:
    # operation_name parses the document, which is what may have failed.
    try:
        name: str | None = context.operation_name
        return name
    except Exception:  # no name is a fine label for a broken document
        return None
