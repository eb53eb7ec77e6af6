"""API benchmark (issue 4, section 6): the GraphQL API under load, against the bare Neo4j driver.

    python bench/api.py [--people 200] [--seconds 10] [--concurrency 32] [--workers 1] [--keep]

On the benchmark's own Neo4j (see _common.bench_settings; sample data is generated, loaded and
resolved when the graph has no profiles), starts the API server (`c360 serve --workers N`) in a
subprocess and drives it with wrk (a Lua script cycles the request bodies) at the given concurrency, or,
where wrk is not installed (`apt-get install wrk`), with an async httpx client in this process,
which costs the 2-core machine far more CPU per request than wrk. Workloads:

  profile   profile(id) { id pid displayName email phone }, over every profile in turn, with an
            app key (a front end: masked, nothing to audit) and with a steward key (unmasked:
            each request also writes its api.read_pii audit entry)
  rich      one profile with 20 touchpoints, its records and its household's members

Each is also fetched with the bare async driver (the same fields, one Cypher statement), so the
ratio shows what the API layer costs on this machine. Prints req/s, p50 and p99; timings on a
shared, noisy 2-core machine are only comparable within one run. The last line is JSON.
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import neo4j
from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio

from c360.runtime import target
from c360.settings import Settings
from graph import schema
from graph.connection import Graph
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from loaders.sample import generate
from resolvers import apikeys

__all__ = ["main"]

TOUCHPOINTS = 20
PROFILE_QUERY = "query Profile($id: ID!) { profile(id: $id) { id pid displayName email phone } }"
RICH_QUERY = """query Rich($id: ID!) { profile(id: $id) { id displayName email
  records { uid source sourceId loadedAt } household { hid members { pid displayName } }
  touchpoints(first: 20) { totalCount edges { node { uid at channel type } } } } }"""
DRIVER_PROFILE = "MATCH (p:Profile {pid: $pid}) RETURN p {.pid, .display_name, .email, .phone} AS p"
DRIVER_RICH = """MATCH (p:Profile {pid: $pid})
CALL (p) { MATCH (p)-[:HAS_RECORD]->(c:Customer) RETURN collect(c {.uid, .source, .source_id, .loaded_at}) AS records }
CALL (p) { OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h:Household)<-[:IN_HOUSEHOLD]-(m:Profile)
           RETURN h.hid AS hid, collect(m {.pid, .display_name}) AS members }
CALL (p) { MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
           WITH DISTINCT t ORDER BY t.at DESC, t.uid DESC
           RETURN count(t) AS total, collect(t {.uid, .at, .channel, .type})[..20] AS touchpoints }
RETURN p {.pid, .display_name, .email}, records, hid, members, total, touchpoints"""


def prepare(graph: Graph, settings: Settings, people: int) -> tuple[list[str], str]:
    """Profiles to query, and one with at least 20 touchpoints (adding web events if needed)."""
    schema.apply(graph)
    if not _rows(graph, "MATCH (p:Profile) RETURN p.pid AS pid LIMIT 1"):
        folder = Path(tempfile.mkdtemp(prefix="c360-bench-"))
        generate(people, 42, folder, default_region=settings.default_region)
        _load(graph, settings, [folder])
        resolve(graph, load_rules(), full=True)
    pids = [r["pid"] for r in _rows(graph, "MATCH (p:Profile) RETURN p.pid AS pid ORDER BY pid")]
    busiest = _rows(
        graph,
        """MATCH (p:Profile)-[:HAS_RECORD]->(c:Customer {source: 'web'})
        OPTIONAL MATCH (p)-[:HAS_RECORD]->()-[:HAD_TOUCHPOINT]->(t)
        RETURN p.pid AS pid, c.source_id AS cookie, count(DISTINCT t) AS n ORDER BY n DESC, pid LIMIT 1""",
    )[0]
    if busiest["n"] < TOUCHPOINTS:
        _add_web_events(graph, settings, busiest["cookie"], TOUCHPOINTS - busiest["n"])
    return pids, busiest["pid"]


def _rows(graph: Graph, text: str) -> list[dict]:
    return [r.data() for r in graph.driver.execute_query(text, database_=graph.database).records]


def _load(graph: Graph, settings: Settings, paths: list[Path], mapping: str | None = None) -> None:
    with Quarantine(Path(tempfile.mkdtemp()) / "quarantine.jsonl") as quarantine:
        load(graph, plan(paths, mapping, None), quarantine, LoadOptions(region=settings.default_region))


def _add_web_events(graph: Graph, settings: Settings, cookie: str, count: int) -> None:
    path = Path(tempfile.mkdtemp()) / "web_events.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            f.write(
                json.dumps(
                    {
                        "event_id": f"E-BENCH-{i:04d}",
                        "ts": f"2026-01-{i % 28 + 1:02d}T10:00:00Z",
                        "cookie_id": cookie,
                        "device_id": None,
                        "device_type": None,
                        "event_type": "page_view",
                        "page": f"/bench/{i}",
                        "login": None,
                    }
                )
                + "\n"
            )
    _load(graph, settings, [path], "web_events")
    resolve(graph, load_rules())


def start_server(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`c360 serve` in its own process(es), configured (through the environment) like this one."""
    env = os.environ.copy()
    # One key drives hundreds of requests a second here: the per-key rate limit would measure itself.
    env.setdefault("C360_API_RATE_LIMIT", "0")
    if settings.managed:
        env |= {
            "C360_HOME": str(settings.home),
            "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
            "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
            "C360_NEO4J_HEAP": settings.neo4j_heap,
            "C360_NEO4J_PAGECACHE": settings.neo4j_pagecache,
        }
    code = (
        "from c360.cli._serve import run; from c360.settings import Settings; "
        f"run(Settings(), '127.0.0.1', {port}, workers={workers})"
    )
    server = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the API server did not become ready")


async def drive(call: Callable[[int], Awaitable[None]], concurrency: int, seconds: float) -> list[float]:
    """Run `call` from `concurrency` tasks for `seconds`; returns each call's latency."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        i = offset
        while time.perf_counter() < stop:
            started = time.perf_counter()
            await call(i)
            latencies.append(time.perf_counter() - started)
            i += concurrency

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return latencies


def wrk(port: int, key: str, query: str, ids: list[str], concurrency: int, seconds: float) -> dict[str, float]:
    """One wrk run over the request bodies in turn; req/s and latency percentiles from its report."""
    bodies = ",\n".join("[==[" + json.dumps({"query": query, "variables": {"id": i}}) + "]==]" for i in ids)
    script = (
        f"local bodies = {{\n{bodies}\n}}\nlocal n = 0\n"
        f'local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {key}"}}\n'
        "request = function()\n  n = n % #bodies + 1\n"
        '  return wrk.format("POST", "/graphql", headers, bodies[n])\nend\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{min(concurrency, 2)}",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "--timeout",
                "30s",
                "-s",
                f.name,
                f"http://127.0.0.1:{port}/graphql",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw failed requests:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
    }


async def api_workloads(
    args: argparse.Namespace, keys: dict[str, str], pids: list[str], rich_pid: str
) -> dict[str, dict]:
    """`profile(id)` as a front end asks it (app key, masked), and as a steward (unmasked, so
    every request also writes its `api.read_pii` audit entry); the rich profile needs a steward
    key because source records are steward-only."""
    from resolvers.ids import encode

    figures: dict[str, dict[str, float]] = {}
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{args.port}", limits=limits, timeout=30) as client:

        async def post(key: str, query: str, global_id: str) -> None:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": {"id": global_id}},
                headers={"Authorization": f"Bearer {key}"},
            )
            if response.status_code != 200 or response.json().get("errors"):
                raise SystemExit(f"API error: {response.status_code} {response.text}")

        profiles = [encode("Profile", pid) for pid in pids]
        workloads = (
            ("api profile", keys["app"], PROFILE_QUERY, profiles),
            ("api profile, steward (audited)", keys["steward"], PROFILE_QUERY, profiles),
            ("api rich", keys["steward"], RICH_QUERY, [encode("Profile", rich_pid)]),
        )
        for name, key, query, ids in workloads:
            print(f"# {name} ...", flush=True)
            await post(key, query, ids[0])  # the API answers it without errors before anything is timed
            if shutil.which("wrk"):
                wrk(args.port, key, query, ids, args.concurrency, args.warmup)
                figures[name] = wrk(args.port, key, query, ids, args.concurrency, args.seconds)
                continue

            async def call(i: int, key: str = key, query: str = query, ids: list[str] = ids) -> None:
                await post(key, query, ids[i % len(ids)])

            await drive(call, args.concurrency, args.warmup)
            figures[name] = summary(await drive(call, args.concurrency, args.seconds), args.seconds)
    return figures


async def driver_workloads(
    args: argparse.Namespace, settings: Settings, pids: list[str], rich_pid: str
) -> dict[str, dict]:
    """The same data straight from the async driver: one statement per request, no HTTP."""
    figures: dict[str, dict[str, float]] = {}
    uri, auth = target(settings)
    driver = neo4j.AsyncGraphDatabase.driver(uri, auth=auth, max_connection_pool_size=args.concurrency)
    try:

        async def bare(text: str, pid: str) -> None:
            async with driver.session(database=settings.neo4j_database) as session:
                await session.execute_read(_fetch, text, pid)

        async def profile(i: int) -> None:
            await bare(DRIVER_PROFILE, pids[i % len(pids)])

        async def rich(_: int) -> None:
            await bare(DRIVER_RICH, rich_pid)

        for name, call in (("driver profile", profile), ("driver rich", rich)):
            print(f"# {name} ...", flush=True)
            await drive(call, args.concurrency, args.warmup)
            figures[name] = summary(await drive(call, args.concurrency, args.seconds), args.seconds)
    finally:
        await driver.close()
    return figures


async def _fetch(tx: neo4j.AsyncManagedTransaction, text: str, pid: str) -> list[dict]:
    result = await tx.run(text, pid=pid)
    return await result.data()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200, help="sample size when the graph has no profiles")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per workload")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=8362)
    parser.add_argument("--workers", type=int, default=1, help="API server processes (c360 serve --workers)")
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    with open_graph(settings, args.keep) as graph:
        pids, rich_pid = prepare(graph, settings, args.people)
        created = [apikeys.create(graph, role, "bench") for role in ("app", "steward")]
        server = start_server(settings, args.port, args.workers)
        try:
            print(
                f"# {len(pids)} profiles; {args.workers} API workers; concurrency {args.concurrency}; "
                f"{args.seconds:.0f} s per workload",
                flush=True,
            )
            figures = asyncio.run(api_workloads(args, {k.role: k.key for k in created}, pids, rich_pid))
            figures |= asyncio.run(driver_workloads(args, settings, pids, rich_pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
            for key in created:
                apikeys.revoke(graph, key.id, by="bench")
    order = ("api profile", "api profile, steward (audited)", "driver profile", "api rich", "driver rich")
    rows = [[name, figures[name]["rps"], figures[name]["p50_ms"], figures[name]["p99_ms"]] for name in order]
    print_table("GraphQL API vs bare driver", ["workload", "req/s", "p50 ms", "p99 ms"], rows)
    ratios = {
        kind: ratio(figures[f"api {kind}"]["rps"], figures[f"driver {kind}"]["rps"]) for kind in ("profile", "rich")
    }
    print(f"\nAPI / bare driver throughput: profile(id) {ratios['profile']}, rich profile {ratios['rich']}")
    print("targets: profile(id) >= 500 req/s with p99 < 100 ms", flush=True)
    emit_json(
        {
            "api": figures,
            "api_over_driver": ratios,
            "concurrency": args.concurrency,
            "profiles": len(pids),
            "workers": args.workers,
            "load_generator": "wrk" if shutil.which("wrk") else "httpx",
        }
    )


if __name__ == "__main__":
    main()
