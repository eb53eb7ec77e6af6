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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` from anywhere, without installing
    sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from c360.runtime import connect, managed_server  # noqa: E402
from c360.settings import Settings  # noqa: E402
from graph import stats  # noqa: E402
from graph.connection import Graph, Transaction, _rows  # noqa: E402

T = TypeVar("T")

__all__ = [
    "Measure",
    "Stopwatch",
    "TimedGraph",
    "add_server_args",
    "bench_settings",
    "emit_json",
    "open_graph",
    "print_table",
    "ratio",
    "reset",
    "server_pid",
]


def add_server_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the benchmark's managed Neo4j running at the end (default: stop it)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="per-transaction timeout (default: c360's own setting, C360_NEO4J_QUERY_TIMEOUT or 120)",
    )


def bench_settings(query_timeout: float | None = None) -> Settings:
    """The benchmark's own managed Neo4j, or `Settings()` when NEO4J_URI points at a server."""
    extra: dict[str, Any] = {} if query_timeout is None else {"neo4j_query_timeout": query_timeout}
    if os.environ.get("NEO4J_URI"):
        return Settings(**extra)
    return Settings(
        home=Path(os.environ.get("C360_BENCH_HOME", ROOT / ".c360-bench")),
        neo4j_bolt_port=int(os.environ.get("C360_BENCH_BOLT_PORT", "7691")),
        neo4j_http_port=int(os.environ.get("C360_BENCH_HTTP_PORT", "7478")),
        neo4j_heap=os.environ.get("C360_BENCH_NEO4J_HEAP", "4g"),
        neo4j_pagecache=os.environ.get("C360_BENCH_NEO4J_PAGECACHE", "4g"),
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


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) the Neo4j JVM has used so far, when it runs here."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(settings: Settings) -> int | None:
    return managed_server(settings).status().pid if settings.managed else None


@dataclass
class Measure:
    wall: float
    client_cpu: float
    server_cpu: float | None


class Stopwatch:
    """Named measurements, in the order taken: wall seconds, and CPU seconds of this Python
    process and of the Neo4j server (when it is the managed one), to tell who is busy."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid = pid
        self.taken: dict[str, Measure] = {}

    @property
    def seconds(self) -> dict[str, float]:
        return {name: m.wall for name, m in self.taken.items()}

    @contextmanager
    def measure(self, name: str, *, echo: bool = True) -> Iterator[None]:
        if echo:
            print(f"# {name} ...", flush=True)
        wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu(self.pid)
        try:
            yield
        finally:
            after = _server_cpu(self.pid)
            m = Measure(
                time.perf_counter() - wall,
                time.process_time() - cpu,
                None if server is None or after is None else after - server,
            )
            if name in self.taken:  # measuring the same name again adds up
                was = self.taken[name]
                m = Measure(
                    was.wall + m.wall,
                    was.client_cpu + m.client_cpu,
                    None if was.server_cpu is None or m.server_cpu is None else was.server_cpu + m.server_cpu,
                )
            self.taken[name] = m
            if echo:
                m = self.taken[name]
                server_text = "" if m.server_cpu is None else f", Neo4j CPU {m.server_cpu:.1f}s"
                print(f"#   {name}: {m.wall:.2f}s (python CPU {m.client_cpu:.1f}s{server_text})", flush=True)

    def rows(self) -> list[list[Any]]:
        return [[name, m.wall, m.client_cpu, m.server_cpu] for name, m in self.taken.items()]


class TimedGraph(Graph):
    """c360's Graph, unchanged in behaviour, that also sums wall time and calls per catalog
    statement. In `write_many` each statement of the shared transaction is timed on its own
    (run + consume); the rest of the transaction under "(write tx open + commit)"."""

    def __init__(self, graph: Graph, timeout: float) -> None:
        super().__init__(graph.driver, graph.database, timeout)
        self.time: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def reset_timings(self) -> None:
        self.time.clear()
        self.calls.clear()

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        """One call of statement `name`: its wall time and the call, counted even when it raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.time[name] += time.perf_counter() - started
            self.calls[name] += 1

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        with self.timing(name):
            return super().read(name, **params)

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        prepared = [(n, queries.load(n), p) for n, p in steps]

        inside = [0.0]

        def work(tx: Any) -> list[list[dict[str, Any]]]:
            out = []
            inside[0] = 0.0  # a retried transaction counts once
            for name, text, params in prepared:
                started = time.perf_counter()
                out.append(_rows(tx.run(text, params)))
                spent = time.perf_counter() - started
                inside[0] += spent
                self.time[name] += spent
                self.calls[name] += 1
            return out

        started = time.perf_counter()
        with self.driver.session(database=self.database) as s:
            result = s.execute_write(self._managed([n for n, _ in steps], work))
        self.time["(write tx open + commit)"] += time.perf_counter() - started - inside[0]
        return result

    def transaction(self, names: list[str], work: Callable[[Transaction], T]) -> T:
        """Each statement of the transaction timed on its own, as in `write_many`."""
        timed = self

        class _Timed(Transaction):
            def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
                with timed.timing(name):
                    return super().run(name, **params)

        def timed_work(tx: Transaction) -> T:
            return work(_Timed(tx._tx, tx._ledger, tx._declared))

        started = time.perf_counter()
        before = sum(self.time.values())
        try:
            return super().transaction(names, timed_work)
        finally:
            inside = sum(self.time.values()) - before
            self.time["(write tx open + commit)"] += time.perf_counter() - started - inside

    def run_auto(self, name: str, **params: Any) -> None:
        with self.timing(name):
            super().run_auto(name, **params)

    def table(self) -> list[list[Any]]:
        return [[name, self.calls[name], secs] for name, secs in sorted(self.time.items(), key=lambda kv: -kv[1])]


RESET_TIMEOUT = 3600.0


def reset(graph: Graph) -> float:
    """`graph.stats.reset` (empty the database), with a long transaction timeout: emptying a
    graph of a few million elements outlasts c360's default 120 s on this machine. Seconds."""
    started = time.perf_counter()
    stats.reset(Graph(graph.driver, graph.database, RESET_TIMEOUT))
    return time.perf_counter() - started


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b > 0 else None


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def emit_json(figures: dict[str, Any]) -> None:
    """The last line of output: every figure, machine-readable."""
    print(json.dumps(figures, sort_keys=True, default=str), flush=True)
