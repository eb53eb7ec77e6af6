"""Real-time events benchmark (issue 11, section 4): `POST /events` against a bare MERGE.

On the benchmark's own Neo4j, a graph of N generated people (bulk-imported and resolved once,
then kept: later runs reuse it), a `c360 serve` process, and in this process:

1. c360: new person records through `POST /events` with the built-in `customers` mapping, each
   carrying the email of an existing person, so every event links into an existing profile and
   its response waits for the micro-batch that resolved it. Events/s and latency p50/p99 at
   concurrency 1, 8 and 32 (after a short idle run: one event at a time on an idle server).
   Every answer must name the profile (`profileIds`), i.e. be visible when it returns.
2. Baseline, same run: the same records written with one bare `MERGE ... SET` each through the
   async driver (no mapping, no validation, no resolution, no HTTP) at the same concurrency.

The last line of output is JSON with every figure.
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio, reset  # noqa: E402
from api import drive, start_server, summary  # noqa: E402

from c360.cli._bulk import bulk_load  # noqa: E402
from c360.runtime import managed_server, rules, target  # noqa: E402
from loaders.manifest import plan  # noqa: E402
from loaders.pipeline import LoadOptions  # noqa: E402
from loaders.quarantine import Quarantine  # noqa: E402
from loaders.sample import generate  # noqa: E402
from resolvers import apikeys  # noqa: E402

TARGET_EVENTS_PER_SECOND = 500
TARGET_P99_MS = 300
TARGET_IDLE_P50_MS = 50
# No `pending`: the baseline writes the record and nothing resolves it (a record marked pending
# without the rest of a load's properties would be picked up by c360's next micro-batch).
MERGE = "MERGE (c:Customer {uid: $uid}) SET c += $props, c.source = 'bench-baseline'"


def _profiles(graph: Any) -> int:
    return int(
        graph.driver.execute_query("MATCH (p:Profile) RETURN count(p) AS n", database_=graph.database).records[0]["n"]
    )


def prepare(settings: Any, people: int) -> list[str]:
    """The graph of `people` generated people (imported once), and emails of existing people."""
    with open_graph(settings, keep=True) as graph:
        have = _profiles(graph)
    if have < people * 0.9:
        print(f"# building a graph of {people:,} people (found {have:,} profiles)", flush=True)
        with open_graph(settings, keep=True) as graph:
            reset(graph)
        folder = Path(tempfile.mkdtemp(prefix="c360-events-bench-"))
        generate(people, 11, folder, default_region=settings.default_region)
        with Quarantine(folder / "quarantine.jsonl") as quarantine:
            bulk_load(
                settings,
                plan([folder], None, None),
                quarantine,
                LoadOptions(),
                rules(settings),
                interactive=False,
                say=print,
            )
    with open_graph(settings, keep=True) as graph:
        rows = graph.driver.execute_query(
            "MATCH (i:Identifier {kind: 'email'})<-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(:Profile) "
            "RETURN DISTINCT i.value AS email LIMIT 20000",
            database_=graph.database,
        ).records
        print(f"# {_profiles(graph):,} profiles", flush=True)
    return [r["email"] for r in rows]


def event(n: int, email: str, run: str) -> dict[str, Any]:
    return {"source_id": f"EV-{run}-{n:07d}", "first_name": "Bench", "last_name": f"Event{n}", "email": email}


async def c360_run(port: int, key: str, emails: list[str], concurrency: int, seconds: float) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    failures: list[str] = []
    invisible = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:

        async def call(i: int) -> None:
            nonlocal invisible
            body = {"mapping": "customers", "row": event(i, emails[i % len(emails)], run)}
            response = await client.post("/events", json=body, headers={"Authorization": f"Bearer {key}"})
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:120]}")
            elif not response.json().get("profileIds"):
                invisible += 1

        started = time.perf_counter()
        latencies = await drive(call, concurrency, seconds)
        wall = time.perf_counter() - started
    figures = summary(latencies, wall)
    figures |= {"failures": len(failures), "invisible": invisible, "sample_failure": failures[:1]}
    return figures


async def baseline_run(settings: Any, emails: list[str], concurrency: int, seconds: float) -> dict[str, Any]:
    uri, auth = target(settings)
    run = uuid.uuid4().hex[:8]
    async with neo4j.AsyncGraphDatabase.driver(uri, auth=auth, max_connection_pool_size=64) as driver:

        async def call(i: int) -> None:
            row = event(i, emails[i % len(emails)], run)
            await driver.execute_query(
                MERGE, uid=f"bench-baseline:{row['source_id']}", props=row, database_=settings.neo4j_database
            )

        started = time.perf_counter()
        latencies = await drive(call, concurrency, seconds)
        wall = time.perf_counter() - started
    return summary(latencies, wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people in the graph (default 100,000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per measured run (default 20)")
    parser.add_argument("--workers", type=int, default=1, help="c360 serve worker processes (default 1)")
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    emails = prepare(settings, args.people)
    random.Random(5).shuffle(emails)
    with open_graph(settings, keep=True) as graph:
        key = apikeys.create(graph, "admin", "bench-events").key
    server = start_server(settings, args.port, args.workers)
    results: dict[str, Any] = {}
    try:
        results["idle"] = asyncio.run(c360_run(args.port, key, emails, 1, min(args.seconds, 10.0)))
        for concurrency in args.concurrency:
            results[f"c360_{concurrency}"] = asyncio.run(c360_run(args.port, key, emails, concurrency, args.seconds))
            results[f"baseline_{concurrency}"] = asyncio.run(baseline_run(settings, emails, concurrency, args.seconds))
    finally:
        server.terminate()
        server.wait(30)
        if settings.managed and not args.keep:
            managed_server(settings).stop()
    rows = []
    for concurrency in args.concurrency:
        ours, base = results[f"c360_{concurrency}"], results[f"baseline_{concurrency}"]
        rows.append(
            [
                f"POST /events, concurrency {concurrency}",
                ours["rps"],
                ours["p50_ms"],
                ours["p99_ms"],
                ours["failures"],
                ratio(base["rps"], ours["rps"]),
            ]
        )
        rows.append([f"  bare MERGE, concurrency {concurrency}", base["rps"], base["p50_ms"], base["p99_ms"], 0, 1.0])
    idle = results["idle"]
    rows.insert(
        0,
        [
            "POST /events, idle (one at a time)",
            idle["rps"],
            idle["p50_ms"],
            idle["p99_ms"],
            idle["failures"],
            None,
        ],
    )
    print_table(
        f"real-time events on a graph of {args.people:,} people, {args.workers} worker(s)",
        ["what", "events/s", "p50 ms", "p99 ms", "failed", "baseline/c360"],
        rows,
    )
    emit_json(
        {
            "people": args.people,
            "workers": args.workers,
            "results": results,
            "targets": {
                "events_per_second_at_32": TARGET_EVENTS_PER_SECOND,
                "p99_ms": TARGET_P99_MS,
                "idle_p50_ms": TARGET_IDLE_P50_MS,
            },
        }
    )


if __name__ == "__main__":
    main()
