"""Incremental resolution on a graph that is already resolved (issue 17, section 3).

`bench/resolve.py` builds and resolves its synthetic graph first (minutes to hours at 1M records);
this script measures only the incremental batches, on the graph a `bench/resolve.py --keep` run
left in the bench server, so the figure can be taken again, on a quiet machine, without
rebuilding. Each batch inserts `--size` new records (half with an email of an existing person
and that person's name, half new people) with bare `CREATE`s, then resolves them as `resolve()`
does for a backlog of one micro-batch, timed in its two parts:

- *resolution*: `resolve_batch` (claim, resolve, write profiles, households, clear; ONE locked
  transaction), plus the pending count `resolve()` reads first;
- *traits*: `refresh_pending`, the trait and segment refresh of the profiles it wrote, which
  `resolve()` runs after the resolution has committed (the API's write path defers it to a
  background follower, graph/identity/follow.py).

The same-run baseline is the batch's output written bare (bench/incremental_bare.py): after
each batch, the profiles, links, household links and change events it left are written again
in one transaction with bare `UNWIND CREATE`s, under labels with the same constraints. The
fixed cost of a call, `resolve()` with nothing pending, is reported too.
Every batch is checked: each linked record joined its person's profile, each new person got one.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Stopwatch, bench_settings, emit_json, open_graph, print_table, ratio, server_pid  # noqa: E402
from incremental_bare import BARE_NAME, bare_batch, drop_schema, outbox_position  # noqa: E402
from resolve import CREATE_CUSTOMERS, CREATE_IDENTIFIERS  # noqa: E402  (bench/resolve.py's own)

from graph.connection import Graph  # noqa: E402
from graph.identity import load_rules, resolve  # noqa: E402
from graph.identity.resolve import resolve_batch  # noqa: E402
from graph.identity.rules import MatchRules  # noqa: E402
from graph.traits import refresh_pending  # noqa: E402

TARGET_SECONDS = 0.5  # issue 17: an incremental batch of 1,000 on 1M records
SOURCES = ("crm", "shop", "web", "email", "support")  # bench/resolve.py's record uids: <source>:R<8 digits>

PICK = """
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'email'})
WITH c, i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS degree
WHERE degree <= 4 AND coalesce(i.held_out, false) = false
RETURN c.first_name AS first, c.last_name AS last, i.key AS key
LIMIT $n
"""
SIZES = "UNWIND $uids AS uid MATCH (:Customer {uid: uid})<-[:HAS_RECORD]-(p:Profile) RETURN p.record_count AS n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=5, help="batches to time; the median is reported (default 5)")
    parser.add_argument("--size", type=int, default=1000, help="records per batch, half linked (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the clock)")
    parser.add_argument("--keep", action="store_true", help="leave the bench server running (default: stop it)")
    return parser.parse_args()


def _run(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    with graph.driver.session(database=graph.database) as session:
        return [record.data() for record in session.run(text, params)]


def insert(graph: Graph, rng: random.Random, size: int, tag: str) -> tuple[list[str], list[str]]:
    """`size` new pending records: half reuse an existing person's email under their name."""
    wanted = size // 2
    numbers = rng.sample(range(1, 1_000_000), wanted * 3)
    picked = _run(graph, PICK, uids=[f"{s}:R{n:08d}" for n in numbers for s in SOURCES], n=wanted)
    if len(picked) < wanted:
        sys.exit(f"found {len(picked)} existing people to link, wanted {wanted}: run bench/resolve.py --keep first")
    records, identifiers = [], []
    for j, person in enumerate(picked):
        source = rng.choice(SOURCES)
        records.append(
            {"uid": f"{source}:L{tag}{j:06d}", "source": source, "source_id": f"L{tag}{j:06d}"}
            | {"first_name": person["first"], "last_name": person["last"], "ids": [person["key"]]}
        )
    for j in range(size - wanted):
        value = f"new.{tag}.{j}@fresh.test"
        identifiers.append({"key": f"email:{value}", "kind": "email", "value": value})
        source = rng.choice(SOURCES)
        records.append(
            {"uid": f"{source}:N{tag}{j:06d}", "source": source, "source_id": f"N{tag}{j:06d}"}
            | {"first_name": "New", "last_name": "Person", "ids": [f"email:{value}"]}
        )
    _run(graph, CREATE_IDENTIFIERS, rows=identifiers)
    _run(graph, CREATE_CUSTOMERS, rows=records, now=datetime.now(UTC))
    return [r["uid"] for r in records[:wanted]], [r["uid"] for r in records[wanted:]]


def count(graph: Graph, text: str) -> int:
    return int(_run(graph, text)[0]["n"])


def one_batch(
    graph: Graph, rules: MatchRules, rng: random.Random, size: int, tag: str, pid: int | None
) -> dict[str, Any]:
    before = count(graph, "MATCH (p:Profile) RETURN count(p) AS n")
    linked, fresh = insert(graph, rng, size, tag)
    position = outbox_position(graph)
    clock = Stopwatch(pid)
    with clock.measure("resolution", echo=False):
        pending = graph.read("identity_pending_stats")[0]["pending"]  # what resolve() reads first
        report = resolve_batch(graph, rules)
    with clock.measure("traits", echo=False):
        traits = refresh_pending(graph)
    sizes_linked = [r["n"] for r in _run(graph, SIZES, uids=linked)]
    sizes_fresh = [r["n"] for r in _run(graph, SIZES, uids=fresh)]
    correct = (
        pending == report.claimed == size
        and count(graph, "MATCH (p:Profile) RETURN count(p) AS n") - before == len(fresh)
        and len(sizes_linked) == len(linked)
        and all(n >= 2 for n in sizes_linked)
        and sizes_fresh == [1] * len(fresh)
    )
    written = bare_batch(graph, clock, linked + fresh, position)
    resolution, refreshed, bare = clock.taken["resolution"], clock.taken["traits"], clock.taken[BARE_NAME]
    return {
        "resolution": resolution.wall,
        "traits": refreshed.wall,
        "total": resolution.wall + refreshed.wall,
        "bare": bare.wall,
        "bare_neo4j_cpu": bare.server_cpu,
        "bare_written": written,
        # CPU seconds are steadier than wall seconds on a shared machine: compare code by these.
        "python_cpu": resolution.client_cpu + refreshed.client_cpu,
        "neo4j_cpu": None if resolution.server_cpu is None else resolution.server_cpu + (refreshed.server_cpu or 0.0),
        "phases": dict(report.timings),
        "profiles_written": report.written,
        "traits_refreshed": traits.profiles,
        "correct": correct,
    }


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed if args.seed is not None else time.time_ns())
    rules = load_rules()
    with open_graph(bench_settings(), args.keep) as graph:
        records = count(graph, "MATCH (c:Customer) RETURN count(c) AS n")
        if count(graph, "MATCH (c:Customer) WHERE c.pending IS NOT NULL RETURN count(c) AS n"):
            sys.exit("records are pending: resolve the graph first (c360 resolve), then measure")
        print(f"# {records:,} records in the graph", flush=True)
        noops = []
        for _ in range(3):
            started = time.perf_counter()
            resolve(graph, rules)
            noops.append(time.perf_counter() - started)
        tag = f"{time.time_ns() % 10**8:08d}"
        pid = server_pid(bench_settings())
        # As `c360 serve` does after start-up (c360/server.py), whose micro-batches these are:
        # collections no longer walk what lives as long as the process (measured: ~0.1 s of
        # cyclic GC per batch without it, ~0.04 s with it).
        gc.collect()
        gc.freeze()
        runs = [one_batch(graph, rules, rng, args.size, f"{tag}{i}", pid) for i in range(args.batches)]
        for i, run in enumerate(runs):
            parts = f"resolution {run['resolution']:.3f}s + traits {run['traits']:.3f}s"
            parts += f" (CPU: python {run['python_cpu']:.3f}s, Neo4j {run['neo4j_cpu'] or 0.0:.3f}s)"
            parts += f"; bare {run['bare']:.3f}s (Neo4j {run['bare_neo4j_cpu'] or 0.0:.3f}s) {run['bare_written']}"
            print(f"#   batch {i + 1}: {run['total']:.3f}s = {parts}", flush=True)
        drop_schema(graph)
    for run in runs:  # each batch against its own bare write: the pairs see the same load
        run["x_bare"] = run["total"] / run["bare"]
    keys: tuple[str, ...] = ("resolution", "traits", "total", "python_cpu", "bare", "x_bare")
    keys += ("neo4j_cpu", "bare_neo4j_cpu") if runs[0]["neo4j_cpu"] is not None else ()
    median = {key: statistics.median(r[key] for r in runs) for key in keys}
    phases = {name: statistics.median(r["phases"].get(name, 0.0) for r in runs) for name in runs[0]["phases"]}
    noop = statistics.median(noops)
    print_table(
        f"incremental batch of {args.size:,} on {records:,} records (median of {args.batches})",
        ["figure", "seconds", "x bare write"],
        [
            ["resolution (one locked transaction)", median["resolution"], ratio(median["resolution"], median["bare"])],
            ["trait refresh after it", median["traits"], ratio(median["traits"], median["bare"])],
            ["resolve() end to end", median["total"], ratio(median["total"], median["bare"])],
            ["  median of each batch's own ratio", None, median["x_bare"]],
            [BARE_NAME, median["bare"], 1.0],
            ["resolve() with nothing pending", noop, ratio(noop, median["bare"])],
            ["  CPU: python (resolution + traits)", median["python_cpu"], None],
        ]
        + (
            [
                ["  CPU: Neo4j (resolution + traits)", median["neo4j_cpu"], None],
                ["  CPU: Neo4j (bare write)", median["bare_neo4j_cpu"], None],
            ]
            if "neo4j_cpu" in median
            else []
        )
        + [[f"  phase: {name}", seconds, None] for name, seconds in phases.items()],
    )
    correct = all(r["correct"] for r in runs)
    print(f"\ncorrect: {correct}; target < {TARGET_SECONDS}s end to end: {median['total'] < TARGET_SECONDS}")
    emit_json(
        {
            "records": records,
            "size": args.size,
            "batches": runs,
            "median": median,
            "phases_median": phases,
            "noop_seconds": noop,
            "correct": correct,
            "target_met": median["total"] < TARGET_SECONDS,
        }
    )
    if not correct:
        sys.exit(1)


if __name__ == "__main__":
    main()
