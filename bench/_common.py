"""Shared plumbing for the benchmarks: their own managed Neo4j, a timer, tables, the JSON line.

Benchmarks run against a managed Neo4j of their own (home, ports and memory below, each
overridable from the environment) so they never collide with a developer's or a test run's
server. When NEO4J_URI is set they use that server instead and never start or stop one.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` from anywhere, without installing
    sys.path.insert(0, str(ROOT))

from c360.runtime import connect  # noqa: E402
from c360.settings import Settings  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import managed_server  # noqa: E402

__all__ = [
    "Stopwatch", "add_server_args", "bench_settings", "emit_json", "open_graph", "print_table", "ratio",
]


def add_server_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keep", action="store_true",
        help="leave the benchmark's managed Neo4j running at the end (default: stop it)",
    )
    parser.add_argument(
        "--query-timeout", type=float, default=None, metavar="SECONDS",
        help="per-transaction timeout (default: c360's own setting, C360_NEO4J_QUERY_TIMEOUT or 120)",
    )


def bench_settings(query_timeout: float | None = None) -> Settings:
    """The benchmark's own managed Neo4j, or `Settings()` when NEO4J_URI points at a server."""
    extra: dict[str, Any] = {} if query_timeout is None else {"neo4j_query_timeout": query_timeout}
    if os.environ.get("NEO4J_URI"):
        return Settings(**extra)
    return Settings(
        home=Path(os.environ.get("C360_BENCH_HOME", "/work/main/.c360-bench")),
        neo4j_bolt_port=int(os.environ.get("C360_BENCH_BOLT_PORT", "7691")),
        neo4j_http_port=int(os.environ.get("C360_BENCH_HTTP_PORT", "7478")),
        neo4j_heap="4g",
        neo4j_pagecache="4g",
        **extra,
    )


@contextmanager
def open_graph(settings: Settings, keep: bool) -> Iterator[Graph]:
    """Connect (starting the managed server if needed); close and stop it afterwards unless `keep`."""
    started = time.perf_counter()
    graph = connect(settings, start=True)
    where = settings.neo4j_uri or f"managed Neo4j at {settings.home} (bolt port {settings.neo4j_bolt_port})"
    print(f"# connected to {where} in {time.perf_counter() - started:.1f}s", flush=True)
    try:
        yield graph
    finally:
        graph.close()
        if settings.managed and not keep:
            managed_server(settings).stop()
            print("# managed Neo4j stopped (use --keep to leave it running)", flush=True)


class Stopwatch:
    """Named wall-clock measurements, in the order taken."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def measure(self, name: str, *, echo: bool = True) -> Iterator[None]:
        if echo:
            print(f"# {name} ...", flush=True)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started
            if echo:
                print(f"#   {name}: {self.seconds[name]:.2f}s", flush=True)


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b > 0 else None


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))


def emit_json(figures: dict[str, Any]) -> None:
    """The last line of output: every figure, machine-readable."""
    print(json.dumps(figures, sort_keys=True, default=str), flush=True)
