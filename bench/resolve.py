"""Resolution benchmark (issue 3, section 9): full and incremental identity resolution at scale.

On the benchmark's own Neo4j, in one process:

0. Build a synthetic graph of N source records quickly with bare `UNWIND ... CREATE` (20k rows
   per statement) after `graph.schema.apply`:
   `(:Customer {uid, source, source_id, first_name, last_name, pending: true})
      -[:HAS_IDENTIFIER {source}]->(:Identifier {key, kind, value})`.
   Persons have 1-6 records that share emails, phones and logins (each record carries at
   least one identifier already used by an earlier record of the same person, so a person's
   records are connected); some web records carry a cookie of their own; some persons share a
   family phone with another person (a true merge); and a few junk identifiers (a call-centre
   phone, test@ addresses, a "guest" login) sit on far more records than their cap.
   The expected number of profiles is computed from the generated data in memory: connected
   components of records through strong identifiers at or under their cap that c360's guard
   against over-merging (`people.verdict`) lets link: most family phones are held out, since
   the people sharing them have other surnames.
1. (a) `resolve(graph, rules, full=True)`, with c360's own per-phase `.timings` and the time
   spent per catalog statement.
   (b) The same edge list (records x shared strong identifiers under their cap, not held out)
   fetched once from Neo4j (fetch timed separately), then bare `scipy.sparse.csgraph.connected_components`
   on it (median of 3). Ratios (a)/(b) and (a)'s "cluster" phase/(b).
2. (c) Incremental: 1,000 new records with `pending = true` (half link to existing persons
   through an existing email under its person's name, half are new people), then `resolve(graph, rules)`; also a first
   single-record incremental (cold: includes query planning), single-record runs after the
   batch, and a run with nothing pending.

Correctness is checked cheaply: profiles after the full run == expected components == scipy's
components on the Neo4j edge list, and the incremental runs add exactly the new people.
Timings on a shared, noisy 2-core machine are only comparable within one run; the last line
of output is JSON with every figure.
"""

import argparse
import cProfile
import gc
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from _common import (  # noqa: E402
    Stopwatch,
    TimedGraph,
    add_server_args,
    bench_settings,
    emit_json,
    open_graph,
    print_table,
    ratio,
    reset,
    server_pid,
)
from scipy.sparse import coo_matrix  # noqa: E402
from scipy.sparse.csgraph import connected_components  # noqa: E402

from graph import schema, stats  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.identity import load_rules, people, resolve  # noqa: E402
from graph.identity.resolve import ResolveReport  # noqa: E402
from graph.identity.rules import MatchRules  # noqa: E402

TARGET_INCREMENTAL_SECONDS = 0.5  # issue 17 (issue 3 asked for 1 s)
BUILD_BATCH = 20_000
BARE_PROFILES = "(b2) bare write of the first build's profiles + HAS_RECORD"
BATCHES = 3  # incremental batches; the median is reported (one run on a shared machine is noise)
SOURCES = ("crm", "shop", "web", "email", "support")
RECORDS_PER_PERSON = (1, 2, 3, 4, 5, 6)
RECORDS_WEIGHTS = (35, 25, 17, 12, 7, 4)  # mean ~2.4 records per person
FIRST = (
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Mia",
    "Noah",
    "Olivia",
    "Paul",
    "Ruby",
    "Sam",
    "Tom",
    "Zoe",
    "Marie",
    "Jean",
    "Lukas",
    "Sofia",
)
LAST = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Martin",
    "Bernard",
    "Dubois",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Rossi",
    "Garcia",
    "Lopez",
    "Evans",
    "Walker",
)
# Junk identifiers: (key, share of records carrying it). Each lands far above its kind's cap.
JUNK = (
    ("phone:+442079460000", 0.0015),  # a call-centre number typed into many records
    ("phone:+442079460999", 0.0005),
    ("email:test@test.com", 0.0004),
    ("email:noemail@example.com", 0.0003),
    ("login:guest", 0.0002),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark full and incremental identity resolution against bare scipy connected components.",
    )
    parser.add_argument(
        "--records", type=int, default=1_000_000, help="synthetic source records to build (default 1000000)"
    )
    parser.add_argument(
        "--incremental",
        type=int,
        default=1000,
        help="new records in the incremental batch (default 1000; half link, half new)",
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument(
        "--family-share",
        type=float,
        default=0.02,
        help="share of persons who share a family phone with another person (default 0.02)",
    )
    parser.add_argument(
        "--child",
        choices=["full", "facts"],
        default=None,
        help=argparse.SUPPRESS,  # internal: one measured step in a process of its own (peak RSS)
    )
    add_server_args(parser)
    return parser.parse_args()


def child_step(what: str, query_timeout: float | None) -> None:
    """Run one step in this fresh process and print its seconds and peak RSS as JSON: the parent
    holds the synthetic data set, so its own peak says nothing about resolution's memory."""
    import json
    import resource

    from c360.runtime import connect
    from graph.identity.evidence import gather

    settings = bench_settings(query_timeout)
    graph = connect(settings, start=False)
    rules = load_rules()
    clock = statement_clock()
    profile_to = os.environ.get("C360_BENCH_CPROFILE")  # a path: cProfile stats of the step
    profiler = cProfile.Profile() if profile_to else None
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    if what == "full":
        report = resolve(graph, rules, full=True)
        extra: dict[str, Any] = {"report": report.as_dict()}
    else:
        extra = {"records": len(gather(graph, rules, None).records)}
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)
    seconds = time.perf_counter() - started
    extra["statements"] = {name: [calls, round(secs, 3)] for name, (calls, secs) in sorted(clock.items())}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss
    extra["python_cpu"] = round(usage.ru_utime + usage.ru_stime - cpu, 3)
    graph.close()
    print(
        json.dumps(
            {"seconds": round(seconds, 3), "peak_rss_mb": round(peak / 1024, 1), "start_rss_mb": round(base / 1024, 1)}
            | extra
        )
    )


def statement_clock() -> dict[str, list[Any]]:
    """Wall seconds and calls per catalog statement in this process, the lease's fenced
    transactions included (they bypass TimedGraph): from `tx.run` to the last row read."""
    from neo4j._sync.work.transaction import TransactionBase

    import graph.connection as connection
    import queries

    names: dict[str, str] = {}
    load = queries.load

    def named_load(name: str) -> Any:
        text = load(name)
        names[text] = name
        return text

    clock: dict[str, list[Any]] = defaultdict(lambda: [0, 0.0])
    started: dict[int, tuple[str, float]] = {}
    run, rows = TransactionBase.run, connection._rows

    def timed_run(self: Any, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        begin = time.perf_counter()
        result = run(self, query, parameters, **kwargs)
        started[id(result)] = (names.get(query, "(other)"), begin)
        return result

    def timed_rows(result: Any) -> Any:
        out = rows(result)
        name, begin = started.pop(id(result), ("(other)", time.perf_counter()))
        clock[name][0] += 1
        clock[name][1] += time.perf_counter() - begin
        return out

    queries.load = named_load  # type: ignore[assignment]
    TransactionBase.run = timed_run  # type: ignore[method-assign]
    connection._rows = timed_rows
    return clock


def in_child(what: str, query_timeout: float | None) -> dict[str, Any]:
    import json
    import subprocess

    command = [sys.executable, __file__, "--child", what]
    if query_timeout is not None:
        command += ["--query-timeout", str(query_timeout)]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:  # say why: a bare CalledProcessError loses the child's traceback
        sys.exit(f"step {what!r} failed in its own process (exit {done.returncode}):\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


# --------------------------------------------------------------------------------------------
# Synthetic data


@dataclass
class Synthetic:
    persons: int = 0
    customers: list[dict[str, Any]] = field(default_factory=list)  # uid, source, source_id, names, ids
    identifiers: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {key, kind, value}
    person_emails: list[list[str]] = field(default_factory=list)  # per person, its email keys
    person_names: list[tuple[str, str]] = field(default_factory=list)  # per person, (first, last)
    family_links: int = 0

    def degrees(self) -> Counter[str]:
        return Counter(k for c in self.customers for k in c["ids"])


def _identifier(syn: Synthetic, kind: str, value: str) -> str:
    key = f"{kind}:{value}"
    syn.identifiers.setdefault(key, {"key": key, "kind": kind, "value": value})
    return key


def _record(syn: Synthetic, rng: random.Random, number: int, first: str, last: str, ids: list[str]) -> dict[str, Any]:
    source = rng.choice(SOURCES)
    if rng.random() < 0.1:  # case and spacing variants for survivorship to settle
        first, last = first.lower(), last.upper()
    return {
        "uid": f"{source}:R{number:08d}",
        "source": source,
        "source_id": f"R{number:08d}",
        "first_name": first,
        "last_name": last,
        "ids": sorted(set(ids)),
    }


def synthesize(records: int, seed: int, family_share: float) -> Synthetic:
    rng = random.Random(seed)
    syn = Synthetic()
    family_phones: list[str] = []
    while len(syn.customers) < records:
        p = syn.persons
        syn.persons += 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        count = min(rng.choices(RECORDS_PER_PERSON, RECORDS_WEIGHTS)[0], records - len(syn.customers))
        emails = [_identifier(syn, "email", f"{first}.{last}.{p}@mail{p % 97}.test".lower())]
        if rng.random() < 0.4:
            emails.append(_identifier(syn, "email", f"{last}{p}@work{p % 89}.test".lower()))
        others: list[str] = []
        if family_phones and rng.random() < family_share:
            others.append(family_phones[-1])  # the household phone of an earlier person
            syn.family_links += 1
        elif rng.random() < 0.6:
            phone = _identifier(syn, "phone", f"+4470{p:08d}")
            others.append(phone)
            if rng.random() < 0.05:
                family_phones.append(phone)
        if rng.random() < 0.5:
            others.append(_identifier(syn, "login", f"{first}{last}{p}".lower()))
        pool = emails + others
        used = [emails[0]]
        for j in range(count):
            if j == 0:
                ids = [emails[0]]
            else:
                ids = [rng.choice(used)]  # keeps the person's records connected
            ids += [k for k in pool if k not in ids and rng.random() < 0.3]
            used.extend(k for k in ids if k not in used)
            number = len(syn.customers) + 1
            record = _record(syn, rng, number, first, last, ids)
            if record["source"] == "web" and rng.random() < 0.7:
                record["ids"].append(_identifier(syn, "cookie", f"ck_{number:010x}"))
            syn.customers.append(record)
        syn.person_emails.append(emails)
        syn.person_names.append((first, last))
    for key, share in JUNK:
        kind, value = key.split(":", 1)
        _identifier(syn, kind, value)
        for index in rng.sample(range(len(syn.customers)), max(20, int(share * len(syn.customers)))):
            if key not in syn.customers[index]["ids"]:
                syn.customers[index]["ids"].append(key)
    return syn


def expected_components(syn: Synthetic, rules: MatchRules) -> tuple[int, int]:
    """(components, identifiers held out): the partition c360 should find, from memory. An
    identifier links when it is on 2..cap records AND c360's published guard against
    over-merging (`people.verdict`: how many people its sharers' names look like) lets it: a
    family phone shared by people with other surnames is held out, as c360 holds it."""
    caps = rules.caps()
    sharers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in syn.customers:
        for k in c["ids"]:
            sharers[k].append(c)
    index = {c["uid"]: i for i, c in enumerate(syn.customers)}
    held, linking = 0, dict[str, int]()
    for k in sorted(sharers):
        kind, degree = syn.identifiers[k]["kind"], len(sharers[k])
        if kind not in caps:
            continue
        if people.verdict(rules, kind, degree, sharers[k]):
            held += 1
        elif degree > 1:
            linking[k] = len(linking)
    rows, cols = [], []
    for c in syn.customers:
        for k in c["ids"]:
            if k in linking:
                rows.append(index[c["uid"]])
                cols.append(len(index) + linking[k])
    n = len(index) + len(linking)
    matrix = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    _, labels = connected_components(matrix, directed=False)
    return len(np.unique(labels[: len(index)])), held


# --------------------------------------------------------------------------------------------
# Bare-driver writes and reads (not c360 code)

CREATE_IDENTIFIERS = "UNWIND $rows AS r CREATE (:Identifier {key: r.key, kind: r.kind, value: r.value})"
CREATE_CUSTOMERS = """
UNWIND $rows AS r
CREATE (c:Customer {uid: r.uid, source: r.source, source_id: r.source_id, first_name: r.first_name,
                    last_name: r.last_name, ingested_at: $now, pending: true})
WITH c, r
UNWIND r.ids AS key
MATCH (i:Identifier {key: key})
CREATE (c)-[:HAS_IDENTIFIER {source: r.source}]->(i)
"""


def bare_write(graph: Graph, text: str, rows: list[dict[str, Any]], batch: int = BUILD_BATCH, **params: Any) -> None:
    with graph.driver.session(database=graph.database) as session:
        for at in range(0, len(rows), batch):
            part = rows[at : at + batch]
            session.execute_write(lambda tx, p=part: tx.run(text, rows=p, **params).consume())  # noqa: B023


def bare_read(graph: Graph, text: str, **params: Any) -> list[tuple[Any, ...]]:
    with graph.driver.session(database=graph.database) as session:
        return session.execute_read(lambda tx: [tuple(r.values()) for r in tx.run(text, **params)])


def build(graph: Graph, syn: Synthetic) -> None:
    now = datetime.now(UTC)
    bare_write(graph, CREATE_IDENTIFIERS, list(syn.identifiers.values()))
    bare_write(graph, CREATE_CUSTOMERS, syn.customers, now=now)


READ_PROFILES = "MATCH (p:Profile) RETURN p {.*} AS props, [(p)-[:HAS_RECORD]->(c:Customer) | c.uid] AS uids"
CREATE_PROFILES = """
UNWIND $rows AS r
CREATE (p:BareProfile)
SET p = r.props
WITH p, r
UNWIND r.uids AS uid
MATCH (c:Customer {uid: uid})
CREATE (p)-[:BARE_RECORD]->(c)
"""
DROP_PROFILES = "MATCH (p:BareProfile) CALL (p) { DETACH DELETE p } IN TRANSACTIONS OF 10000 ROWS"


def bare_profiles(graph: Graph, watch: Stopwatch) -> int:
    """Baseline of the first build's output: its profiles (every property) and HAS_RECORD links,
    read back, then written again with bare UNWIND CREATEs in the first-build writer's batches
    (timed), under labels of their own that are dropped afterwards. What the build does beyond
    this -- derived keys, survivorship, events, households, pending marks -- is its own cost."""
    rows = [{"props": props, "uids": uids} for props, uids in bare_read(graph, READ_PROFILES)]
    with watch.measure(BARE_PROFILES):
        bare_write(graph, CREATE_PROFILES, rows, batch=2_000)
    with graph.driver.session(database=graph.database) as session:
        session.run(DROP_PROFILES).consume()
    return len(rows)


def count(graph: Graph, text: str, **params: Any) -> int:
    return int(bare_read(graph, text, **params)[0][0])


FETCH_UIDS = "MATCH (c:Customer) RETURN c.uid"
FETCH_EDGES = """
MATCH (i:Identifier) WHERE i.kind IN $kinds
WITH i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS degree
WHERE 1 < degree AND degree <= $caps[i.kind] AND coalesce(i.held_out, false) = false
MATCH (i)<-[:HAS_IDENTIFIER]-(c:Customer)
RETURN c.uid, i.key
"""


def fetch_edges(graph: Graph, rules: MatchRules) -> tuple[int, np.ndarray, np.ndarray, int]:
    """(records, record index per edge, identifier index per edge, identifiers) from Neo4j."""
    uids = {row[0]: i for i, row in enumerate(bare_read(graph, FETCH_UIDS))}
    edges = bare_read(graph, FETCH_EDGES, kinds=rules.strong, caps=rules.caps())
    keys: dict[str, int] = {}
    rec = np.fromiter((uids[u] for u, _ in edges), dtype=np.int64, count=len(edges))
    ident = np.fromiter((keys.setdefault(k, len(keys)) for _, k in edges), dtype=np.int64, count=len(edges))
    return len(uids), rec, ident, len(keys)


def scipy_components(n: int, rec: np.ndarray, ident: np.ndarray, m: int) -> int:
    """Bare scipy on the bipartite record-identifier graph; components among records."""
    size = n + m
    matrix = coo_matrix((np.ones(len(rec), dtype=np.int8), (rec, ident + n)), shape=(size, size)).tocsr()
    _, labels = connected_components(matrix, directed=False)
    return len(np.unique(labels[:n]))


# --------------------------------------------------------------------------------------------


def new_records(
    syn: Synthetic, rng: random.Random, linked: int, fresh: int, start: int, tag: str
) -> tuple[list[dict[str, str]], list[dict[str, Any]], list[str], list[str]]:
    """Records that reuse an existing email (kept at or under the cap) and brand-new people."""
    degree = syn.degrees()
    people_ = zip(syn.person_emails, syn.person_names, strict=True)
    candidates = [(emails[0], name) for emails, name in people_ if degree[emails[0]] <= 4]
    chosen = rng.sample(candidates, linked)
    identifiers, customers = [], []
    for j, (key, (first, last)) in enumerate(chosen):
        # The email's own person under the same name: another surname would be another person
        # sharing it, which c360's guard holds out (and the record would rightly stay apart).
        customers.append(_record(syn, rng, start + j, first, last, [key]))
    for j in range(fresh):
        number = start + linked + j
        value = f"new.{tag}.{number}@fresh.test"
        identifiers.append({"key": f"email:{value}", "kind": "email", "value": value})
        customers.append(_record(syn, rng, number, "New", "Person", [f"email:{value}"]))
    for c in customers:  # keep the in-memory degrees right for later picks
        syn.customers.append(c)
    return identifiers, customers, [c["uid"] for c in customers[:linked]], [c["uid"] for c in customers[linked:]]


PROFILE_SIZES = """
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})<-[:HAS_RECORD]-(p:Profile)
RETURN p.record_count
"""


def incremental(
    graph: Graph,
    timed: TimedGraph,
    rules: MatchRules,
    syn: Synthetic,
    rng: random.Random,
    linked: int,
    fresh: int,
    tag: str,
) -> dict[str, Any]:
    before = count(graph, "MATCH (p:Profile) RETURN count(p)")
    identifiers, customers, linked_uids, fresh_uids = new_records(syn, rng, linked, fresh, len(syn.customers) + 1, tag)
    started = time.perf_counter()
    if identifiers:
        bare_write(graph, CREATE_IDENTIFIERS, identifiers)
    bare_write(graph, CREATE_CUSTOMERS, customers, now=datetime.now(UTC))
    insert_seconds = time.perf_counter() - started
    timed.reset_timings()
    started = time.perf_counter()
    report = resolve(timed, rules)
    seconds = time.perf_counter() - started
    after = count(graph, "MATCH (p:Profile) RETURN count(p)")
    sizes_linked = [r[0] for r in bare_read(graph, PROFILE_SIZES, uids=linked_uids)]
    sizes_fresh = [r[0] for r in bare_read(graph, PROFILE_SIZES, uids=fresh_uids)]
    ok = (
        after - before == fresh
        and all(s >= 2 for s in sizes_linked)
        and all(s == 1 for s in sizes_fresh)
        and len(sizes_linked) == linked
        and len(sizes_fresh) == fresh
    )
    return {
        "name": tag,
        "records": linked + fresh,
        "linked": linked,
        "new_people": fresh,
        "insert_seconds": insert_seconds,
        "seconds": seconds,
        "timings": dict(report.timings),
        "report_records": report.records,
        "report_clusters": report.clusters,
        "profiles_written": report.written,
        "profiles_before": before,
        "profiles_after": after,
        "correct": ok,
        "statements": {name: {"calls": calls, "seconds": round(secs, 4)} for name, calls, secs in timed.table()},
    }


def main() -> None:
    args = parse_args()
    if args.child:
        child_step(args.child, args.query_timeout)
        return
    settings = bench_settings(args.query_timeout)
    rules = load_rules()
    watch = Stopwatch()
    with watch.measure(f"synthesize {args.records:,} records"):
        syn = synthesize(args.records, args.seed, args.family_share)
        expected, held = expected_components(syn, rules)
    edges_total = sum(len(c["ids"]) for c in syn.customers)
    print(
        f"#   {syn.persons:,} persons, {len(syn.customers):,} records, {len(syn.identifiers):,} identifiers, "
        f"{edges_total:,} HAS_IDENTIFIER; {syn.family_links:,} family-phone links; expected profiles "
        f"{expected:,}; {held} identifiers held out (over their cap, or shared by people who look like others)",
        flush=True,
    )
    with open_graph(settings, args.keep) as graph:
        watch.pid = server_pid(settings)
        figures = run(graph, settings.neo4j_query_timeout, rules, syn, expected, held, watch, args)
    emit_json(figures)


def run(
    graph: Graph,
    timeout: float,
    rules: MatchRules,
    syn: Synthetic,
    expected: int,
    held: int,
    watch: Stopwatch,
    args: argparse.Namespace,
) -> dict[str, Any]:
    edges_total = sum(len(c["ids"]) for c in syn.customers)
    with watch.measure("reset + schema.apply"):
        reset(graph)
        schema.apply(graph)
    with watch.measure(f"build graph (bare UNWIND CREATE, {BUILD_BATCH:,} rows/statement)"):
        build(graph, syn)
    build_seconds = watch.seconds[f"build graph (bare UNWIND CREATE, {BUILD_BATCH:,} rows/statement)"]
    counts = stats.counts(graph)
    gc.collect()

    # (a) full resolution through c360.
    timed = TimedGraph(graph, timeout)
    # In a process of its own, so its peak RSS is resolution's alone (this one holds the data).
    with watch.measure("(a) c360 resolve --full (own process)"):
        first = in_child("full", timeout)
    full_seconds = watch.seconds["(a) c360 resolve --full (own process)"]
    report = ResolveReport(**first["report"])
    report.held_out = [(key, degree) for key, degree in report.held_out]
    full_statements: list[list[Any]] = sorted(
        ([name, calls, secs] for name, (calls, secs) in first["statements"].items()), key=lambda row: -row[2]
    )
    print(
        f"#   peak RSS {first['peak_rss_mb']} MB (at start {first['start_rss_mb']} MB),"
        f" python CPU {first['python_cpu']}s",
        flush=True,
    )
    profiles = count(graph, "MATCH (p:Profile) RETURN count(p)")
    marked = count(graph, "MATCH (i:Identifier) WHERE i.held_out = true RETURN count(i)")
    pending_left = count(graph, "MATCH (c:Customer) WHERE c.pending = true RETURN count(c)")
    # Memory, each in a fresh process: a rebuild of the resolved graph (streams; nothing to
    # write), and, as the baseline, only reading every record's facts at once, which is what
    # the in-memory rebuild held.
    with watch.measure("(a2) c360 resolve --full again, own process (peak RSS)"):
        rebuilt = in_child("full", timeout)
    with watch.measure("(a3) every record's facts at once, own process (peak RSS)"):
        facts_only = in_child("facts", timeout)
    print(f"#   rebuild again: {rebuilt['seconds']}s, peak RSS {rebuilt['peak_rss_mb']} MB", flush=True)
    print(f"#   facts at once: {facts_only}", flush=True)
    same_after_rebuild = count(graph, "MATCH (p:Profile) RETURN count(p)") == profiles
    bare_profiles(graph, watch)
    bare_seconds = watch.seconds[BARE_PROFILES]

    # (b) bare scipy on the same edge list, fetched once.
    with watch.measure("(b) fetch edge list from Neo4j (once)"):
        n, rec, ident, m = fetch_edges(graph, rules)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        scipy_count = scipy_components(n, rec, ident, m)
        runs.append(time.perf_counter() - started)
    scipy_seconds = statistics.median(runs)
    cluster_seconds = report.timings.get("cluster", 0.0)

    # (c) incremental.
    rng = random.Random(args.seed + 1)
    inc = [incremental(graph, timed, rules, syn, rng, 1, 0, "first single record (cold)")]
    half = args.incremental // 2
    for i in range(BATCHES):
        inc.append(
            incremental(
                graph, timed, rules, syn, rng, half, args.incremental - half, f"batch of {args.incremental:,} #{i + 1}"
            )
        )
    for i in range(3):
        inc.append(incremental(graph, timed, rules, syn, rng, 1, 0, f"single record #{i + 1}"))
    timed.reset_timings()
    started = time.perf_counter()
    resolve(timed, rules)
    noop_seconds = time.perf_counter() - started

    # Tables.
    correct_full = profiles == expected == scipy_count == report.clusters and pending_left == 0
    print_table(
        "Graph built",
        ["label / type", "count"],
        [[f":{k}", v] for k, v in sorted(counts["nodes"].items())]
        + [[f"[:{k}]", v] for k, v in sorted(counts["relationships"].items())]
        + [
            ["build seconds", build_seconds],
            [
                "build entities/s",
                (sum(counts["nodes"].values()) + sum(counts["relationships"].values())) / build_seconds,
            ],
        ],
    )
    print_table(
        "(a) resolve(graph, rules, full=True): c360's phase timings (ResolveReport.timings)",
        ["phase", "seconds", "share"],
        [[k, v, v / full_seconds] for k, v in report.timings.items()] + [["total (wall)", full_seconds, 1.0]],
    )
    print_table(
        "(a) full resolve by catalog statement (wall time per statement name; Python work not included)",
        ["statement", "calls", "seconds"],
        full_statements,
    )
    print_table(
        "Correctness (full)",
        ["figure", "value"],
        [
            ["synthetic persons", syn.persons],
            ["family-phone links between persons", syn.family_links],
            ["expected profiles (components in memory, caps and people.verdict applied)", expected],
            ["scipy components on the Neo4j edge list", scipy_count],
            ["ResolveReport.clusters", report.clusters],
            ["Profile nodes in Neo4j", profiles],
            [
                "identifiers held out (expected / in report / marked in Neo4j)",
                f"{held} / {len(report.held_out)} / {marked}",
            ],
            ["records still pending", pending_left],
            ["correct", correct_full],
        ],
    )
    print_table(
        "(c) incremental resolve(graph, rules)",
        [
            "run",
            "records",
            "seconds",
            "derive",
            "read",
            "cluster",
            "ids",
            "write",
            "households",
            "profiles +",
            "correct",
        ],
        [
            [
                r["name"],
                r["records"],
                r["seconds"],
                *(r["timings"].get(k) for k in ("derive", "read", "cluster", "ids", "write", "households")),
                r["profiles_after"] - r["profiles_before"],
                r["correct"],
            ]
            for r in inc
        ]
        + [["nothing pending", 0, noop_seconds, None, None, None, None, None, None, 0, None]],
    )
    batches = inc[1 : 1 + BATCHES]
    batch = sorted(batches, key=lambda r: r["seconds"])[BATCHES // 2]  # the median run
    print_table(
        f"(c) incremental batch of {args.incremental:,}, median run ({batch['name']}), by catalog statement",
        ["statement", "calls", "seconds"],
        [[k, v["calls"], v["seconds"]] for k, v in batch["statements"].items()],
    )
    print_table(
        "Phases: wall seconds and CPU seconds of this Python process and of the Neo4j JVM",
        ["phase", "wall s", "python CPU s", "Neo4j CPU s"],
        watch.rows(),
    )
    singles = [r["seconds"] for r in inc[1 + BATCHES :]]
    print_table(
        "Resolution benchmark",
        ["figure", "value", "target", "met"],
        [
            ["source records", n, ">= 1,000,000", n >= 1_000_000],
            ["edges (records x shared strong identifiers under cap)", len(rec), None, None],
            ["(a) c360 full resolve seconds", full_seconds, None, None],
            ["(a) of which 'cluster' phase seconds", cluster_seconds, None, None],
            ["(b) bare scipy connected_components seconds (median of 3)", scipy_seconds, None, None],
            [
                "    edge-list fetch from Neo4j seconds (not in (b))",
                watch.seconds["(b) fetch edge list from Neo4j (once)"],
                None,
                None,
            ],
            ["ratio (a) full / (b) scipy", full_seconds / scipy_seconds, None, None],
            ["(b2) bare write of the build's profiles + HAS_RECORD seconds", bare_seconds, None, None],
            ["ratio (a) full / (b2) bare write of its output", full_seconds / bare_seconds, None, None],
            ["ratio (a) cluster phase / (b) scipy", cluster_seconds / scipy_seconds, None, None],
            ["full resolve records/s", report.records / full_seconds, None, None],
            [
                f"(c) incremental batch of {args.incremental:,} seconds (median of {BATCHES})",
                batch["seconds"],
                f"< {TARGET_INCREMENTAL_SECONDS:g}",
                batch["seconds"] < TARGET_INCREMENTAL_SECONDS,
            ],
            ["(c) incremental single record seconds (median of 3, warm)", statistics.median(singles), None, None],
            ["(c) first incremental single record seconds (cold)", inc[0]["seconds"], None, None],
            ["(c) incremental with nothing pending seconds", noop_seconds, None, None],
            ["ratio (c) batch / (b) scipy", batch["seconds"] / scipy_seconds, None, None],
            ["correct (full and every incremental)", correct_full and all(r["correct"] for r in inc), None, None],
        ],
    )
    return {
        "records": n,
        "persons": syn.persons,
        "identifiers": len(syn.identifiers),
        "edges_total": edges_total,
        "linking_edges": int(len(rec)),
        "linking_identifiers": m,
        "family_links": syn.family_links,
        "expected_profiles": expected,
        "scipy_components": scipy_count,
        "resolve_clusters": report.clusters,
        "profiles": profiles,
        "held_out_expected": held,
        "held_out_reported": len(report.held_out),
        "held_out_marked": marked,
        "pending_left": pending_left,
        "correct_full": correct_full,
        "build_seconds": round(build_seconds, 3),
        "graph_counts": counts,
        "full_seconds": round(full_seconds, 3),
        "full_timings": report.timings,
        "full_peak_rss_mb": first["peak_rss_mb"],
        "full_child_seconds": first["seconds"],
        "full_python_cpu": first["python_cpu"],
        "rebuild_again": {k: v for k, v in rebuilt.items() if k != "report"},
        "facts_at_once": facts_only,
        "same_profiles_after_rebuild_again": same_after_rebuild,
        "full_statements": {name: {"calls": calls, "seconds": round(secs, 3)} for name, calls, secs in full_statements},
        "full_report": {k: v for k, v in report.as_dict().items() if k not in ("held_out", "timings")},
        "scipy_seconds": round(scipy_seconds, 4),
        "scipy_runs": [round(r, 4) for r in runs],
        "fetch_seconds": round(watch.seconds["(b) fetch edge list from Neo4j (once)"], 3),
        "ratio_full_to_scipy": ratio(full_seconds, scipy_seconds),
        "bare_profiles_seconds": round(bare_seconds, 3),
        "ratio_full_to_bare_profiles": ratio(full_seconds, bare_seconds),
        "ratio_cluster_to_scipy": ratio(cluster_seconds, scipy_seconds),
        "incremental": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in inc],
        "incremental_batch_seconds": round(batch["seconds"], 4),
        "incremental_batch_runs": [round(r["seconds"], 4) for r in batches],
        "incremental_single_median_seconds": round(statistics.median(singles), 4),
        "incremental_noop_seconds": round(noop_seconds, 4),
        "target_incremental_met": batch["seconds"] < TARGET_INCREMENTAL_SECONDS,
        "phases": {
            name: {
                "wall": round(mm.wall, 3),
                "python_cpu": round(mm.client_cpu, 3),
                "neo4j_cpu": None if mm.server_cpu is None else round(mm.server_cpu, 3),
            }
            for name, mm in watch.taken.items()
        },
    }


if __name__ == "__main__":
    main()
