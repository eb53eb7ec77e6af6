"""Where an online load's Neo4j work goes (issue 17): every statement of `c360 load` PROFILEd.

Runs the real pipeline (`loaders.pipeline.load`) over a generated directory on the benchmark's
Neo4j, optionally after re-importing a populated graph from the importer files that
`bench/load.py --populated N --keep-data` left behind (`<workdir>/base-csv`), with every catalog
statement prefixed by `PROFILE`: same statements, same parameters, same transactions. Prints,
per statement, the calls, wall seconds, database hits and rows, and the operators that cost most
(an `Eager` or a label scan shows here). PROFILE itself costs, so the seconds are only relative.
"""

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_server_args, bench_settings, open_graph, print_table, reset  # noqa: E402

import queries  # noqa: E402
from c360.runtime import managed_server  # noqa: E402
from graph import schema  # noqa: E402
from graph.connection import Graph, Rows, Transaction, _rows  # noqa: E402
from loaders.manifest import plan  # noqa: E402
from loaders.mapping import load_mapping  # noqa: E402
from loaders.pipeline import LoadOptions, load  # noqa: E402
from loaders.quarantine import Quarantine  # noqa: E402

T = TypeVar("T")


class ProfiledGraph(Graph):
    """c360's Graph with every write statement PROFILEd; the plans are summed per statement."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.database, graph.timeout)
        self.calls: Counter[str] = Counter()
        self.seconds: dict[str, float] = defaultdict(float)
        self.hits: Counter[str] = Counter()
        self.rows: Counter[str] = Counter()
        self.operators: dict[str, Counter[str]] = defaultdict(Counter)

    def _profiled(self, tx: Any, name: str, params: dict[str, Any]) -> Rows:
        started = time.perf_counter()
        result = tx.run("PROFILE " + queries.load(name), params)
        rows = _rows(result)
        profile = result.consume().profile or {}
        self.seconds[name] += time.perf_counter() - started
        self.calls[name] += 1
        self.rows[name] += len(params.get("rows", ()))
        self._walk(name, profile)
        return rows

    def _walk(self, name: str, plan: dict[str, Any]) -> None:
        hits = int(plan.get("dbHits", 0))
        if not self.hits and not self.operators:
            print("# profile root args:", sorted(plan.get("args", {})), flush=True)
        self.hits[name] += hits
        details = str(plan.get("args", {}).get("Details", ""))[:90]
        self.operators[name][f"{plan.get('operatorType', '?')} {details}"] += hits
        for child in plan.get("children", []):
            self._walk(name, child)

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        def work(tx: neo4j.ManagedTransaction) -> list[Rows]:
            return [self._profiled(tx, name, params) for name, params in steps]

        with self.driver.session(database=self.database) as s:
            return s.execute_write(work)

    def transaction(self, names: list[str], work: Callable[[Transaction], T]) -> T:
        outer = self

        class _Profiled(Transaction):
            def run(self, name: str, **params: Any) -> Rows:
                return outer._profiled(self._tx, name, params)

        def unit(tx: neo4j.ManagedTransaction) -> T:
            return work(_Profiled(tx, self, frozenset(names)))

        with self.driver.session(database=self.database) as s:
            return s.execute_write(unit)


def reimport(settings: Any, graph: Graph, base_csv: Path | None) -> None:
    if base_csv is None:
        reset(graph)
    else:
        nodes = [(p.stem.removeprefix("nodes-"), p) for p in sorted(base_csv.glob("nodes-*.csv"))]
        rels = [(p.stem.removeprefix("rels-"), p) for p in sorted(base_csv.glob("rels-*.csv"))]
        server = managed_server(settings)
        server.stop()
        server.import_full(nodes, rels, database=settings.neo4j_database)
        server.start()
    schema.apply(graph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a generated directory (its manifest.toml)")
    parser.add_argument("--base-csv", type=Path, default=None, help="importer files of a populated graph")
    parser.add_argument("--batch-size", type=int, default=LoadOptions.batch_size)
    parser.add_argument(
        "--warmup",
        type=Path,
        default=None,
        help="load this directory first, not profiled (sources renamed <source>_warm)",
    )
    parser.add_argument("--top", type=int, default=4, help="operators shown per statement (default 4)")
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    options = LoadOptions(batch_size=args.batch_size, region=settings.default_region)
    with open_graph(settings, args.keep) as graph:
        reimport(settings, graph, args.base_csv)
        profiled = ProfiledGraph(graph)
        with tempfile.TemporaryDirectory() as tmp, Quarantine(Path(tmp) / "q.jsonl") as quarantine:
            if args.warmup is not None:  # plans cached and the JIT warm, as on a server that runs
                warm = [
                    replace(f, source=f"{f.source or load_mapping(f.mapping).source}_warm")
                    for f in plan([args.warmup], None, None)
                ]
                print(f"# warm-up: {load(graph, warm, quarantine, options).seconds:.1f}s", flush=True)
            summary = load(profiled, plan([args.data], None, None), quarantine, options)
    print(f"# {summary.rows_read:,} rows in {summary.seconds:.1f}s (PROFILEd)")
    order = sorted(profiled.hits, key=lambda n: -profiled.hits[n])
    print_table(
        "Statements by database hits",
        ["statement", "calls", "rows in", "seconds", "db hits", "hits/row"],
        [
            [
                n,
                profiled.calls[n],
                profiled.rows[n],
                profiled.seconds[n],
                profiled.hits[n],
                profiled.hits[n] / max(profiled.rows[n], 1),
            ]
            for n in order
        ],
    )
    for name in order:
        print(f"\n{name}:")
        for operator, hits in profiled.operators[name].most_common(args.top):
            print(f"  {hits:>12,}  {operator}")
        eager = [op for op in profiled.operators[name] if op.startswith("Eager")]
        if eager:
            print(f"  EAGER: {len(eager)} operator(s)")


if __name__ == "__main__":
    main()
