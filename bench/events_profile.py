"""Where a real-time event's time goes: per-statement counts and seconds of the micro-batches.

Runs the write path in this process (Engine.ingest, no HTTP) against the events bench's graph
(`bench/events.py` builds and keeps it): first `--single` events one at a time, then
`--concurrency` threads for `--seconds`. Every catalog statement run in a transaction (inside
the micro-batch's one locked transaction too) is timed on its own; the table shows, per
micro-batch, how many times each ran and the milliseconds it took, and the phases of the batch
(write, resolve, answer, traits). The last line of output is JSON with every figure.
"""

import argparse
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table  # noqa: E402
from events import Person, event, prepare  # noqa: E402

import queries  # noqa: E402
from c360.runtime import engine as make_engine  # noqa: E402
from graph import connection  # noqa: E402
from graph.connection import Graph, Rows, TxGraph, _rows  # noqa: E402

_time: dict[str, float] = defaultdict(float)
_calls: Counter[str] = Counter()
_guard = threading.Lock()


def _timed(name: str, run: Any) -> Rows:
    started = time.perf_counter()
    try:
        return _rows(run())
    finally:
        with _guard:
            _time[name] += time.perf_counter() - started
            _calls[name] += 1


def _instrument() -> None:
    """Time each catalog statement a transaction runs (the behaviour is unchanged)."""

    def tx_read(self: TxGraph, name: str, **params: Any) -> Rows:
        self._ran(name)
        return _timed(name, lambda: self._tx.run(queries.load(name), params))

    def tx_write_many(self: TxGraph, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        out = []
        for n, p in steps:
            self._ran(n)
            out.append(_timed(n, lambda n=n, p=p: self._tx.run(queries.load(n), p)))
        return out

    def write_many(self: Graph, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        def work(tx: Any) -> list[Rows]:
            return [_timed(n, lambda n=n, p=p: tx.run(queries.load(n), p)) for n, p in steps]

        with self._driver.session(database=self._database) as s:
            return s.execute_write(self._managed([n for n, _ in steps], work))

    def read(self: Graph, name: str, **params: Any) -> Rows:
        def work(tx: Any) -> Rows:
            return _timed(name, lambda: tx.run(queries.load(name), params))

        with self._driver.session(database=self._database) as s:
            return s.execute_read(self._managed([name], work))

    TxGraph.read = tx_read  # type: ignore[method-assign]
    TxGraph.write_many = tx_write_many  # type: ignore[method-assign]
    Graph.write_many = write_many  # type: ignore[method-assign]
    Graph.read = read  # type: ignore[method-assign]
    connection.TxGraph = TxGraph


def _snapshot() -> tuple[dict[str, float], Counter[str]]:
    with _guard:
        return dict(_time), Counter(_calls)


def _run(
    engine: Any, graph: Graph, people: list[Person], concurrency: int, seconds: float, count: int | None
) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    next_index = iter(range(10**9))
    lock = threading.Lock()

    def worker() -> None:
        while time.perf_counter() < stop:
            with lock:
                i = next(next_index)
            if count is not None and i >= count:
                return
            started = time.perf_counter()
            out = engine.ingest(graph, "customers", event(i, people[i % len(people)], run))
            assert out["profile_ids"], out
            latencies.append(time.perf_counter() - started)

    _time.clear()
    _calls.clear()
    batches_before = engine.batcher.stats.batches
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    spent, calls = _snapshot()
    batches = max(1, engine.batcher.stats.batches - batches_before)
    latencies.sort()
    return {
        "events": len(latencies),
        "batches": batches,
        "events_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "statements_per_batch": round(sum(calls.values()) / batches, 1),
        "ms_in_statements_per_batch": round(sum(spent.values()) * 1000 / batches, 1),
        "per_statement": {
            n: {"calls_per_batch": round(calls[n] / batches, 2), "ms_per_batch": round(spent[n] * 1000 / batches, 2)}
            for n in sorted(spent, key=lambda k: -spent[k])
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=40, help="events sent one at a time (default 40)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    people = prepare(settings, args.people)
    _instrument()
    engine = make_engine(settings)
    results: dict[str, Any] = {}
    with open_graph(settings, keep=True) as graph:
        _run(engine, graph, people[-200:], 1, 30.0, 5)  # warm up: plans cached, pools open
        results["single"] = _run(engine, graph, people, 1, 60.0, args.single)
        results[f"c{args.concurrency}"] = _run(
            engine, graph, people[args.single :], args.concurrency, args.seconds, None
        )
    for name, figures in results.items():
        print_table(
            f"{name}: {figures['events']} events in {figures['batches']} micro-batches, "
            f"{figures['events_per_s']} events/s, p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
            f"{figures['statements_per_batch']} statements and {figures['ms_in_statements_per_batch']} ms per batch",
            ["statement", "calls/batch", "ms/batch"],
            [[n, f["calls_per_batch"], f["ms_per_batch"]] for n, f in figures["per_statement"].items()],
        )
    emit_json(results)


if __name__ == "__main__":
    main()
