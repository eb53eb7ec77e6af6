"""Where an incremental batch's time goes (issue 17, section 3): a breakdown, not a ratio.

On the graph `bench/incremental.py` uses (a resolved graph a `bench/resolve.py --keep` run left),
each round inserts a batch like `bench/incremental.py` does, then:

- `--mode time`: resolves it for real (`resolve_batch` + `refresh_pending`), every catalog statement
  run inside the locked transactions timed on its own, plus the Python CPU of the round;
- `--mode profile`: runs the same resolution and refresh with every statement prefixed by
  `PROFILE`, all in ONE transaction that is rolled back (db hits and the costliest operators per
  statement), then resolves the batch for real untimed, so the graph is left resolved.
"""

import argparse
import cProfile
import pstats
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_settings, open_graph, print_table, server_pid  # noqa: E402
from incremental import insert  # noqa: E402

import queries  # noqa: E402
from graph import connection  # noqa: E402
from graph.connection import Rows, TxGraph, _rows  # noqa: E402
from graph.identity import load_rules  # noqa: E402
from graph.identity.resolve import resolve_batch  # noqa: E402
from graph.traits import refresh_pending  # noqa: E402

TIME: dict[str, float] = defaultdict(float)
CALLS: Counter[str] = Counter()
HITS: Counter[str] = Counter()
OPERATORS: dict[str, Counter[str]] = defaultdict(Counter)
PROFILE = [False]
COUNTING = [False]  # statements outside the measured runs (inserts, the untimed resolution) are not counted
SERVER: dict[str, float] = defaultdict(float)
PID: list[int | None] = [None]


def _server_ns() -> int:
    """CPU nanoseconds the Neo4j JVM's threads have used so far (precise, unlike /proc/PID/stat)."""
    total = 0
    for task in Path(f"/proc/{PID[0]}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except OSError:
            continue
    return total


def _walk(name: str, plan: dict[str, Any]) -> None:
    hits = int(plan.get("dbHits", 0))
    HITS[name] += hits
    details = str(plan.get("args", {}).get("Details", ""))[:100]
    OPERATORS[name][f"{plan.get('operatorType', '?')} {details}"] += hits
    for child in plan.get("children", []):
        _walk(name, child)


def _run(tx: Any, name: str, text: str, params: dict[str, Any]) -> Rows:
    server = _server_ns() if PID[0] and COUNTING[0] else 0
    started = time.perf_counter()
    result = tx.run(("PROFILE " if PROFILE[0] else "") + text, params)
    rows = _rows(result)
    summary = result.consume()
    if not COUNTING[0]:
        return rows
    TIME[name] += time.perf_counter() - started
    if PID[0]:
        SERVER[name] += (_server_ns() - server) / 1e9
    CALLS[name] += 1
    if PROFILE[0]:
        _walk(name, summary.profile or {})
    return rows


class TimedTx(TxGraph):
    def read(self, name: str, **params: Any) -> Rows:
        self._ran(name)
        return _run(self._tx, name, queries.load(name), params)

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        out = []
        for n, p in steps:
            self._ran(n)
            self.numbered = self.numbered or n == "outbox_number"
            out.append(_run(self._tx, n, queries.load(n), p))
        return out

    def composed(self, text: str, params: dict[str, Any], *, name: str) -> Rows:
        return _run(self._tx, name, text, params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("time", "profile"), default="time")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25, help="cProfile functions to print (time mode)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile order: tottime or cumulative")
    parser.add_argument("--no-cprofile", action="store_true", help="Python CPU without the profiler's overhead")
    args = parser.parse_args()
    rng = random.Random(time.time_ns())
    rules = load_rules()
    connection.TxGraph = TimedTx  # type: ignore[misc]  # every locked transaction's statements timed
    with open_graph(bench_settings(), args.keep) as graph:
        PID[0] = server_pid(bench_settings())
        tag = f"{time.time_ns() % 10**8:08d}"
        resolve_batch(graph, rules)  # nothing pending: warm
        profiler = cProfile.Profile()
        walls = []
        for i in range(args.rounds):
            insert(graph, rng, args.size, f"{tag}{i}")
            if args.mode == "profile":
                PROFILE[0] = COUNTING[0] = True
                with graph.driver.session(database=graph.database) as session:
                    tx = session.begin_transaction()
                    g = TimedTx(graph, tx)  # type: ignore[arg-type]
                    resolve_batch(g, rules)
                    refresh_pending(g)
                    tx.rollback()
                PROFILE[0] = COUNTING[0] = False
                resolve_batch(graph, rules)
                refresh_pending(graph)
                continue
            if i == 0:
                resolve_batch(graph, rules)  # the first round warms plans; not counted
                refresh_pending(graph)
                continue
            COUNTING[0] = True
            started = time.perf_counter()
            cpu = time.process_time()
            if not args.no_cprofile:
                profiler.enable()
            resolve_batch(graph, rules)
            mid = time.perf_counter()
            refresh_pending(graph)
            profiler.disable()
            COUNTING[0] = False
            walls.append((mid - started, time.perf_counter() - mid, time.process_time() - cpu))
    rounds = max(1, args.rounds - (args.mode == "time"))
    if args.mode == "time":
        print("walls (resolution, traits, python cpu incl. cProfile):", [tuple(round(x, 3) for x in w) for w in walls])
        if not args.no_cprofile:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    print_table(
        f"per statement, per round (mean of {rounds})",
        ["statement", "calls", "ms", "Neo4j CPU ms", "db hits"],
        [
            [name, CALLS[name] / rounds, 1000 * TIME[name] / rounds, 1000 * SERVER[name] / rounds, HITS[name] // rounds]
            for name in sorted(TIME, key=lambda n: -TIME[n])
        ],
    )
    if args.mode == "profile":
        for name in sorted(HITS, key=lambda n: -HITS[n])[:12]:
            print(f"\n## {name}: {HITS[name] // rounds:,} db hits per round")
            for op, hits in OPERATORS[name].most_common(6):
                print(f"   {hits // rounds:>10,}  {op}")


if __name__ == "__main__":
    main()
