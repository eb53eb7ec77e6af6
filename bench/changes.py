"""Change-feed latency: from a `POST /events` that merges two profiles to (a) the
`profileChanges` subscription message and (b) the webhook delivery, at a fixed event rate, next to
the same run's event latency with nobody listening.

Loads 2 x (events per phase x 2) people with their own email and phone; event k carries the
email of one person and the phone of another, so each event merges two profiles. Phase 1 sends
events with no subscriber and no webhook endpoint (the baseline); phase 2 the same number with a
websocket subscriber and a webhook receiver on 127.0.0.1. Figures: p50/p99 of the event response,
of send -> subscription message, send -> webhook delivery, what the feed adds after the
response, and the webhook after the same event's subscription message (the feed's own cost,
whatever the event path's latency on a busy machine). The receiver (bench/receiver.py) checks
every signature. Target: p99 added latency under 100 ms.

    python bench/changes.py --rate 100 --seconds 10
"""

import argparse
import asyncio
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _common import add_server_args, bench_settings, emit_json, open_graph, print_table
from api import start_server
from receiver import Receiver
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from graph import schema
from graph.changes import webhooks
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from resolvers import apikeys, ids

SUBSCRIBE = 'subscription { profileChanges(types: ["profile.merged"]) { profileIds } }'


def people(graph: Any, count: int, tag: str) -> list[str]:
    """`count` new people with an email and a phone each; returns their profile ids in order."""
    folder = Path(tempfile.mkdtemp(prefix="c360-bench-changes-"))
    path = folder / "people.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_id", "first_name", "email", "phone"])
        for i in range(count):
            writer.writerow([f"{tag}-{i}", f"N{i}", f"{tag}.{i}@bench.example", f"+4479{hash(tag) % 1000:03d}{i:05d}"])
    with Quarantine(folder / "q.jsonl") as quarantine:
        load(graph, plan([path], "customers", "bench"), quarantine, LoadOptions())
    resolve(graph, load_rules())
    rows = graph.driver.execute_query(
        "UNWIND $uids AS uid MATCH (p:Profile)-[:HAS_RECORD]->(:Customer {uid: uid}) RETURN p.pid AS pid",
        uids=[f"bench:{tag}-{i}" for i in range(count)],
        database_=graph.database,
    ).records
    return [r["pid"] for r in rows]


def merged_arrivals(hooks: Receiver) -> dict[frozenset[str], float]:
    """When each `profile.merged` event (by its profile ids) reached the receiver."""
    return {
        frozenset(e["profile_ids"]): hooks.arrived[e["id"]]
        for e in list(hooks.accepted)
        if e["type"] == "profile.merged"
    }


async def phase(
    port: int,
    key: str,
    tag: str,
    pairs: list[tuple[tuple[str, str], str, str]],
    rate: float,
    listen: bool,
    hooks: Receiver | None,
) -> dict[str, list[float]]:
    sent: dict[frozenset[str], float] = {}
    response: list[float] = []
    answered: dict[frozenset[str], float] = {}
    failed: list[int] = []
    subscription: dict[frozenset[str], float] = {}
    ready = asyncio.Event()

    async def subscriber() -> None:
        async with connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {key}"}}))
            await ws.recv()
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
            ready.set()
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "next":
                    pids = [ids.decode(g)[1] for g in message["payload"]["data"]["profileChanges"]["profileIds"]]
                    subscription[frozenset(pids)] = time.perf_counter()

    listener = asyncio.create_task(subscriber()) if listen else None
    if listener is not None:
        await asyncio.wait_for(ready.wait(), 30)
        await asyncio.sleep(0.5)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

        async def send(k: int, merged: tuple[str, str], email: str, phone: str) -> None:
            row = {"source_id": f"{tag}-evt-{k}", "email": email, "phone": phone}
            started = time.perf_counter()
            sent[frozenset(merged)] = started
            try:
                reply = await client.post(
                    "/events", json={"mapping": "customers", "row": row}, headers={"authorization": f"Bearer {key}"}
                )
            except httpx.HTTPError:  # no answer within the client's timeout: counted as failed
                failed.append(0)
                del sent[frozenset(merged)]
                return
            if reply.status_code != 200:
                # Back-pressure (429/503) when the machine cannot keep up: counted, left out.
                failed.append(reply.status_code)
                del sent[frozenset(merged)]
                return
            answered[frozenset(merged)] = time.perf_counter()
            response.append(answered[frozenset(merged)] - started)

        begin = time.perf_counter()
        tasks = []
        for k, (merged, email, phone) in enumerate(pairs):
            await asyncio.sleep(max(0.0, begin + k / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(send(k, merged, email, phone)))
        await asyncio.gather(*tasks)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and (
        (listen and len(subscription) < len(sent)) or (hooks is not None and len(merged_arrivals(hooks)) < len(sent))
    ):
        await asyncio.sleep(0.1)
    if listener is not None:
        listener.cancel()
    result = {"response": response}
    if listen:
        result["subscription"] = [subscription[k] - t for k, t in sent.items() if k in subscription]
        # The same event's message after its own response: what the feed adds to the write.
        result["subscription after response"] = [subscription[k] - t for k, t in answered.items() if k in subscription]
    if hooks is not None:
        arrived = merged_arrivals(hooks)
        result["webhook"] = [arrived[k] - t for k, t in sent.items() if k in arrived]
        result["webhook after response"] = [arrived[k] - t for k, t in answered.items() if k in arrived]
        if listen:
            # What webhook delivery adds over the subscription message of the same event: the
            # feed's own cost, whatever the event path's latency on a busy machine.
            result["webhook after subscription"] = [arrived[k] - t for k, t in subscription.items() if k in arrived]
    result["failed"] = [float(code) for code in failed]
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--port", type=int, default=8363)
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    if os.environ.get("C360_BENCH_NEO4J_HEAP"):
        settings = settings.model_copy(
            update={
                "neo4j_heap": os.environ["C360_BENCH_NEO4J_HEAP"],
                "neo4j_pagecache": os.environ["C360_BENCH_NEO4J_PAGECACHE"],
            }
        )
    events = int(args.rate * args.seconds)
    os.environ["C360_WEBHOOKS_ALLOW_PRIVATE"] = "true"  # the receiver is on 127.0.0.1
    with open_graph(settings, args.keep) as graph:
        schema.apply(graph)
        tag = f"b{int(time.time())}"
        pids = people(graph, 4 * events, tag)
        emails = [f"{tag}.{i}@bench.example" for i in range(4 * events)]
        phones = [f"+4479{hash(tag) % 1000:03d}{i:05d}" for i in range(4 * events)]

        def pairs(offset: int) -> list[tuple[tuple[str, str], str, str]]:
            return [
                ((pids[offset + 2 * k], pids[offset + 2 * k + 1]), emails[offset + 2 * k], phones[offset + 2 * k + 1])
                for k in range(events)
            ]

        key = apikeys.create(graph, "steward", "bench-changes")
        server = start_server(settings, args.port, 1)
        hooks = Receiver()
        try:
            alone = asyncio.run(phase(args.port, key.key, tag + "a", pairs(0), args.rate, False, None))
            endpoint, hooks.secret = webhooks.create(
                graph, hooks.url, ["profile.merged"], by="bench", allow_private=True
            )
            fed = asyncio.run(phase(args.port, key.key, tag + "f", pairs(2 * events), args.rate, True, hooks))
            webhooks.delete(graph, endpoint)
        finally:
            server.terminate()
            server.wait(timeout=30)
            hooks.close()
            apikeys.revoke(graph, key.id, by="bench")
    figures = {
        "event alone": alone["response"],
        "event, feed on": fed["response"],
        "send -> subscription": fed["subscription"],
        "send -> webhook": fed["webhook"],
        "response -> subscription (same event)": fed["subscription after response"],
        "response -> webhook (same event)": fed["webhook after response"],
        "subscription -> webhook (same event)": fed["webhook after subscription"],
    }
    rows = [[name, len(v), pct(v, 0.5), pct(v, 0.99)] for name, v in figures.items()]
    print_table(f"change feed at {args.rate:.0f} events/s", ["latency", "n", "p50 ms", "p99 ms"], rows)
    added = {
        "subscription": round(pct(fed["subscription"], 0.99) - pct(alone["response"], 0.99), 1),
        "webhook": round(pct(fed["webhook"], 0.99) - pct(alone["response"], 0.99), 1),
    }
    print(f"\nfailed events (HTTP != 200, left out): alone {len(alone['failed'])}, feed on {len(fed['failed'])}")
    print(f"p99 added over the event alone: subscription {added['subscription']} ms, webhook {added['webhook']} ms")
    print(
        f"(of {events} events sent per phase; lost by the feed: subscription {events - len(fed['subscription'])}, "
        f"webhook {events - len(fed['webhook'])}, including failed events)"
    )
    print(f"webhook receiver: {hooks.connections} connection(s), {hooks.bad_signatures} bad signature(s)")
    print("target: p99 added < 100 ms", flush=True)
    emit_json(
        {
            "rate": args.rate,
            "events": events,
            "latency_ms": {k: {"p50": pct(v, 0.5), "p99": pct(v, 0.99), "n": len(v)} for k, v in figures.items()},
            "p99_added_ms": added,
            "failed": {"alone": len(alone["failed"]), "feed_on": len(fed["failed"])},
            "mean_response_ms": round(1000 * statistics.fmean(alone["response"]), 1),
        }
    )


if __name__ == "__main__":
    sys.exit(main())
