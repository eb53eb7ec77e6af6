"""Real-time events benchmark (issue 11, section 4): `POST /events` against a bare MERGE.

On the benchmark's own Neo4j, a graph of N generated people (bulk-imported and resolved once,
then kept: later runs reuse it), a `c360 serve` process, and in this process:

1. c360: new person records through `POST /events` with the built-in `customers` mapping, each
   carrying the name and email of an existing person, so every event links into that person's
   profile and its response waits for the micro-batch that resolved it. Events/s and latency p50/p99 at
   concurrency 1, 8 and 32 (after a short idle run: one event at a time on an idle server).
   Every answer must name the person's own profile (`profileIds`), i.e. be visible when it
   returns: `invisible` counts answers without one, `elsewhere` answers naming another profile.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio, reset  # noqa: E402
from api import drive, start_server, summary  # noqa: E402

from c360.cli._bulk import bulk_load  # noqa: E402
from c360.runtime import managed_server, rules, target  # noqa: E402
from graph import schema  # noqa: E402
from loaders.manifest import plan  # noqa: E402
from loaders.pipeline import LoadOptions  # noqa: E402
from loaders.quarantine import Quarantine  # noqa: E402
from loaders.sample import generate  # noqa: E402
from resolvers import apikeys, ids  # noqa: E402

TARGET_EVENTS_PER_SECOND = 500
TARGET_P99_MS = 300
TARGET_IDLE_P50_MS = 50
# No `pending`: the baseline writes the record and nothing resolves it (a record marked pending
# without the rest of a load's properties would be picked up by c360's next micro-batch).
EVENT_SOURCE = "customers"  # the source of the built-in `customers` mapping
PEOPLE_USED = 20_000
MERGE = "MERGE (c:Customer {uid: $uid}) SET c += $props, c.source = 'bench-baseline'"


def _profiles(graph: Any) -> int:
    return int(
        graph.driver.execute_query("MATCH (p:Profile) RETURN count(p) AS n", database_=graph.database).records[0]["n"]
    )


def prepare(settings: Any, people: int) -> list["Person"]:
    """The graph of `people` generated people (imported once), and existing people to send events about."""
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
        # A kept graph may predate indexes added since (traits_pending, the change feed's):
        # without them every micro-batch scans every profile and touchpoint.
        schema.apply(graph)
        # One person a row: the email, first and last name of one of their records, and their
        # profile. Emails an earlier run already sent events with (or held out) are skipped, so
        # every run links new records into ordinary profiles.
        rows = graph.driver.execute_query(
            "MATCH (p:Profile)-[:HAS_RECORD]->(c:Customer)-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'email'}) "
            "WHERE c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND NOT coalesce(i.held_out, false) "
            "AND NOT EXISTS { (i)<-[:HAS_IDENTIFIER]-(:Customer {source: $source}) } "
            "WITH i.value AS email, head(collect([c.first_name, c.last_name, p.pid])) AS person "
            "RETURN email, person[0] AS first_name, person[1] AS last_name, person[2] AS pid LIMIT $limit",
            source=EVENT_SOURCE,
            limit=PEOPLE_USED,
            database_=graph.database,
        ).records
        print(f"# {_profiles(graph):,} profiles, {len(rows):,} people to send events about", flush=True)
    return [Person(r["email"], r["first_name"], r["last_name"], ids.encode("Profile", r["pid"])) for r in rows]


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    profile_id: str
    """The id `POST /events` answers with once the event is in this person's profile."""


def event(n: int, person: Person, run: str) -> dict[str, Any]:
    """A new record of an existing person (a new account in another system): their name and
    email, so it links into their profile. (A record with another surname on their email would
    make the email look like two people and hold it out: a re-clustering, not a link.)"""
    return {
        "source_id": f"EV-{run}-{n:07d}",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
    }


async def c360_run(port: int, key: str, people: list[Person], concurrency: int, seconds: float) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    failures: list[str] = []
    invisible = 0
    elsewhere = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:

        async def call(i: int) -> None:
            nonlocal invisible, elsewhere
            person = people[i % len(people)]
            body = {"mapping": "customers", "row": event(i, person, run)}
            response = await client.post("/events", json=body, headers={"Authorization": f"Bearer {key}"})
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:120]}")
            elif not response.json().get("profileIds"):
                invisible += 1
            elif response.json()["profileIds"] != [person.profile_id]:
                elsewhere += 1

        started = time.perf_counter()
        latencies = await drive(call, concurrency, seconds)
        wall = time.perf_counter() - started
    figures = summary(latencies, wall)
    # invisible: answered without a profile; elsewhere: in another profile than the person's.
    figures |= {
        "failures": len(failures),
        "invisible": invisible,
        "elsewhere": elsewhere,
        "sample_failure": failures[:1],
    }
    return figures


async def baseline_run(settings: Any, people: list[Person], concurrency: int, seconds: float) -> dict[str, Any]:
    uri, auth = target(settings)
    run = uuid.uuid4().hex[:8]
    async with neo4j.AsyncGraphDatabase.driver(uri, auth=auth, max_connection_pool_size=64) as driver:

        async def call(i: int) -> None:
            row = event(i, people[i % len(people)], run)
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
    people = prepare(settings, args.people)
    random.Random(5).shuffle(people)
    with open_graph(settings, keep=True) as graph:
        key = apikeys.create(graph, "admin", "bench-events").key
    server = start_server(settings, args.port, args.workers)
    results: dict[str, Any] = {}
    try:
        results["idle"] = asyncio.run(c360_run(args.port, key, people, 1, min(args.seconds, 10.0)))
        for concurrency in args.concurrency:
            results[f"c360_{concurrency}"] = asyncio.run(c360_run(args.port, key, people, concurrency, args.seconds))
            results[f"baseline_{concurrency}"] = asyncio.run(baseline_run(settings, people, concurrency, args.seconds))
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
