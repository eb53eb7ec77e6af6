"""Load benchmark (issue 2, section 8): c360's load pipeline against a bare-driver baseline.

Generates N people of sample data, then, on the benchmark's own Neo4j and in one process:

0. Untimed: every file mapped and the baseline's graph written once, then emptied, so the
   store files have grown before any timed run (the first run would otherwise pay for it alone).
1. c360 end to end: empty database, schema applied, `loaders.pipeline.load` over the
   generated directory (read, map, validate, normalize, quarantine, MERGE in batches).
2. Breakdown: the same files read and mapped with `RowMapper` alone, no writes (parse +
   validate); then, on an empty database again, those pre-mapped rows written through c360's
   own `BatchWriter` (c360's write path alone, with the clock running only while writing).
3. Baseline: empty database, schema re-applied, and the SAME nodes and relationships (derived
   from the mapped rows of step 2 and de-duplicated before the clock starts) written with plain
   `UNWIND $rows AS r CREATE ...` per label and relationship type through the bare driver.
   Only the CREATE statements are timed.

With `--populated N`, every timed run starts from a re-imported graph of N other people on a
restarted server, which is first warmed (unless `--cold`): c360 loads up to 2,000 more other
people (untimed) and the baseline rehearses its statements in a rolled-back transaction, so both
meet a server with plans cached and the JIT compiled, as an incremental load does in service.

Timings on a shared, noisy 2-core machine are only comparable within one run, so the figures
that matter are ratios to the baseline. The last line of output is JSON with every figure.
"""

import argparse
import dataclasses
import gc
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    Stopwatch,
    TimedGraph,
    _server_cpu,
    add_server_args,
    bench_settings,
    emit_json,
    open_graph,
    print_table,
    ratio,
    reset,
    server_pid,
)

from c360.runtime import managed_server  # noqa: E402
from c360.settings import Settings  # noqa: E402
from graph import schema, stats  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.model import ENTITY_LABELS, RELATIONSHIPS  # noqa: E402
from loaders.bulk import ImportFiles, prepare  # noqa: E402
from loaders.manifest import PlannedFile, plan  # noqa: E402
from loaders.mapping import load_mapping  # noqa: E402
from loaders.pipeline import LoadOptions, load  # noqa: E402
from loaders.quarantine import Quarantine  # noqa: E402
from loaders.readers import detect_format, read_rows  # noqa: E402
from loaders.rows import MappedRow, RowError, RowMapper  # noqa: E402
from loaders.sample import generate  # noqa: E402
from loaders.writer import BatchWriter  # noqa: E402

TARGET_ROWS_PER_SECOND = 10_000
TARGET_RATIO = 3.0
WARMUP_PEOPLE = 300
POPULATED_WARMUP_PEOPLE = 2000
"""At most this many people (no more than are measured) warm a restarted server before each
populated run: 300 left the JIT cold (steady-state loads of 2,000 people used a third less
Neo4j CPU after a few loads than the first one after a restart)."""
E2E = "c360 load, end to end"
READ = "read files only"
PARSE = "c360 parse+validate only"
WRITER = "c360 BatchWriter only"
BASELINE = "baseline UNWIND CREATE (incl. building row lists)"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark c360's load pipeline against bare UNWIND CREATE writes of the same graph.",
    )
    parser.add_argument("--people", type=int, default=100_000, help="people to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=5000,
        help="rows per write transaction, for c360 and the baseline (default 5000)",
    )
    parser.add_argument(
        "--populated",
        type=int,
        default=0,
        metavar="PEOPLE",
        help="before every timed run, bulk-import this many other people (own seed, sources renamed "
        "<source>_base so no key collides) and resolve nothing: loads into a populated graph (issue 17)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="with --populated: time the runs on the freshly started server, without the untimed warm-up "
        "load (c360) and rolled-back rehearsal (baseline) that otherwise come first",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="load this already generated directory instead of generating one"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the generated temp directory")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="after the benchmark, cProfile one extra parse+validate pass (untimed) and "
        "print its top N functions by own time (default: off)",
    )
    add_server_args(parser)
    return parser.parse_args()


# --------------------------------------------------------------------------------------------
# Mapping without writing (parse + validate), and the baseline's graph built from mapped rows.


def _mapper(planned: PlannedFile, options: LoadOptions) -> tuple[RowMapper, str]:
    mapping = load_mapping(planned.mapping, source=planned.source)
    mapper = RowMapper(
        mapping, region=options.region, max_field_length=options.max_field_length, source_file=planned.path.name
    )
    return mapper, mapping.format or detect_format(planned.path)


def map_file(planned: PlannedFile, options: LoadOptions) -> tuple[list[MappedRow], int, int]:
    """(good mapped rows, rows read, bad rows) of one file: what the pipeline does before writing."""
    mapper, fmt = _mapper(planned, options)
    mapped: list[MappedRow] = []
    read = bad = 0
    for raw in read_rows(planned.path, fmt):
        read += 1
        if raw.data is None:
            bad += 1
            continue
        try:
            mapped.append(mapper.map(raw.data))
        except RowError:
            bad += 1
    return mapped, read, bad


class BaselineGraph:
    """The nodes and relationships c360 writes, de-duplicated as MERGE would, as plain rows."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)  # label -> uid -> props
        self.bare: dict[str, set[str]] = defaultdict(set)  # label -> uids known only as references
        self.identifiers: dict[str, dict[str, Any]] = {}
        self.has_identifier: dict[tuple[str, str], str] = {}
        self.rels: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)

    def add(self, row: MappedRow) -> None:
        for entity in row.entities:
            label = ENTITY_LABELS[entity.kind]
            nodes = self.nodes[label]
            if entity.reference:
                if entity.uid not in nodes:
                    nodes[entity.uid] = {"uid": entity.uid, "source": entity.source, "source_id": entity.source_id}
                    self.bare[label].add(entity.uid)
                continue
            known = entity.uid in nodes and entity.uid not in self.bare[label]
            if not (known and entity.accumulate):  # observations keep the first; records the last
                params = entity.params()
                props = {k: v for k, v in params["props"].items() if v is not None}
                nodes[entity.uid] = props | {
                    "uid": entity.uid,
                    "source": entity.source,
                    "source_id": entity.source_id,
                    "row_hash": entity.row_hash,
                    "updated_at": params["updated_at"],
                }
                self.bare[label].discard(entity.uid)
            for ident in entity.identifiers:
                self.identifiers.setdefault(ident["key"], ident | {"source": entity.source})
                self.has_identifier.setdefault((entity.uid, ident["key"]), entity.source)
        for rel in row.relationships:
            for end in (rel.start, rel.end):
                label = ENTITY_LABELS[end.kind]
                if end.uid not in self.nodes[label]:
                    self.nodes[label][end.uid] = {"uid": end.uid, "source": end.source, "source_id": end.source_id}
                    self.bare[label].add(end.uid)
            props = {k: v for k, v in rel.params()["props"].items() if v is not None}
            self.rels[rel.type][(rel.start.uid, rel.end.uid)] = props | {"source": rel.source}

    def counts(self) -> dict[str, dict[str, int]]:
        nodes = {label: len(n) for label, n in self.nodes.items() if n}
        nodes["Identifier"] = len(self.identifiers)
        rels = {t: len(r) for t, r in self.rels.items() if r}
        rels["HAS_IDENTIFIER"] = len(self.has_identifier)
        return {"nodes": nodes, "relationships": rels}


def _statements(base: BaselineGraph, known: AbstractSet[str]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(name, Cypher, rows) in write order: nodes, then relationships between them. Nodes whose
    uid or key is `known` (in the populated graph already) are not created again."""
    steps: list[tuple[str, str, list[dict[str, Any]]]] = []
    for label in sorted(base.nodes):
        rows = [{"props": props} for uid, props in base.nodes[label].items() if uid not in known]
        steps.append((f"CREATE :{label}", f"UNWIND $rows AS r CREATE (n:{label}) SET n = r.props", rows))
    steps.append(
        (
            "CREATE :Identifier",
            "UNWIND $rows AS r CREATE (:Identifier {key: r.key, kind: r.kind, value: r.value, source: r.source})",
            [ident for key, ident in base.identifiers.items() if key not in known],
        )
    )
    steps.append(
        (
            "CREATE :HAS_IDENTIFIER",
            "UNWIND $rows AS r MATCH (a:Customer {uid: r.a}) MATCH (b:Identifier {key: r.b}) "
            "CREATE (a)-[:HAS_IDENTIFIER {source: r.source}]->(b)",
            [{"a": a, "b": b, "source": s} for (a, b), s in base.has_identifier.items()],
        )
    )
    for name in sorted(base.rels):
        rel = RELATIONSHIPS[name]
        start, end = ENTITY_LABELS[rel.start], ENTITY_LABELS[rel.end]
        steps.append(
            (
                f"CREATE :{name}",
                f"UNWIND $rows AS r MATCH (a:{start} {{uid: r.a}}) MATCH (b:{end} {{uid: r.b}}) "
                f"CREATE (a)-[x:{name}]->(b) SET x = r.props",
                [{"a": a, "b": b, "props": props} for (a, b), props in base.rels[name].items()],
            )
        )
    return steps


REHEARSAL_ROWS = 1000


def rehearse_baseline(graph: Graph, base: BaselineGraph, known: AbstractSet[str]) -> None:
    """Each baseline statement on its first rows in a transaction that is rolled back, so the
    timed writes find their plans cached and the JIT warm, as c360's do after its warm-up load
    (populated runs, which start on a freshly started server). Untimed."""
    with graph.driver.session(database=graph.database) as session:
        for _, text, rows in _statements(base, known):
            tx = session.begin_transaction()
            try:
                tx.run(text, rows=rows[:REHEARSAL_ROWS]).consume()
            finally:
                tx.rollback()


def write_baseline(
    graph: Graph, base: BaselineGraph, batch_size: int, known: AbstractSet[str] = frozenset()
) -> tuple[float, dict[str, float]]:
    """Plain UNWIND CREATE per label/type with the bare driver; only the writes are timed."""
    steps = _statements(base, known)
    per_step: dict[str, float] = {}
    total = 0.0
    with graph.driver.session(database=graph.database) as session:
        for name, text, rows in steps:
            started = time.perf_counter()
            for at in range(0, len(rows), batch_size):
                batch = rows[at : at + batch_size]
                session.execute_write(lambda tx, b=batch: tx.run(text, rows=b).consume())  # noqa: B023
            per_step[name] = time.perf_counter() - started
            total += per_step[name]
    return total, per_step


# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Populated:
    """The populated graph every timed run starts from (`--populated`): importer files, re-imported
    with Neo4j's offline importer before each run (seconds, not the minutes an online load takes)."""

    files: ImportFiles
    settings: Settings
    watch: Stopwatch
    keys: frozenset[str]
    """Identifier keys and node uids already in the base (the baseline must not CREATE them again)."""
    warm: list[PlannedFile]
    """Loaded by c360 after each re-import, untimed: a server that has run loads before (plans
    cached, JIT compiled), as an incremental load meets it. Empty with --cold."""
    options: LoadOptions
    workdir: Path


def fresh(graph: Graph, populated: Populated | None = None) -> None:
    if populated is not None:
        started = time.perf_counter()
        server = managed_server(populated.settings)
        server.stop()
        server.import_full(
            populated.files.nodes, populated.files.relationships, database=populated.settings.neo4j_database
        )
        server.start()
        populated.watch.pid = server.status().pid  # a new JVM: its CPU is counted from here
        graph.forget_bookmarks()
        schema.apply(graph)
        print(f"#   (populated graph re-imported in {time.perf_counter() - started:.1f}s)", flush=True)
        if populated.warm:
            with Quarantine(populated.workdir / "warm-quarantine.jsonl") as quarantine:
                summary = load(graph, populated.warm, quarantine, populated.options)
            print(
                f"#   (then {summary.rows_read:,} rows of other people loaded by c360, untimed: "
                f"{summary.seconds:.1f}s; server quiet after {settle(populated.watch):.1f}s more)",
                flush=True,
            )
        return
    seconds = reset(graph)
    if seconds > 5:
        print(f"#   (database emptied in {seconds:.1f}s)", flush=True)
    schema.apply(graph)


def settle(watch: Stopwatch | None, limit: float = 30.0) -> float:
    """Wait until the Neo4j JVM is quiet (under 5% of a core over half a second), so background
    work a warm-up left (index updates, GC) is not counted in the timed run after it. Seconds."""
    started = time.perf_counter()
    pid = watch.pid if watch is not None else None
    before = _server_cpu(pid)
    while before is not None and time.perf_counter() - started < limit:
        time.sleep(0.5)
        after = _server_cpu(pid)
        if after is None or after - before < 0.025:
            break
        before = after
    return time.perf_counter() - started


def populate(
    settings: Settings,
    people: int,
    seed: int,
    workdir: Path,
    options: LoadOptions,
    watch: Stopwatch,
    *,
    cold: bool,
    warm_people: int,
) -> Populated:
    """Generate `people` others, sources renamed, and prepare the importer's files once; unless
    `cold`, the warm-up people (sources renamed too) are loaded after each re-import."""
    if not settings.managed:
        sys.exit("--populated re-imports with neo4j-admin: it needs the benchmark's managed Neo4j (unset NEO4J_URI)")
    started = time.perf_counter()
    generate(people, seed + 1000, workdir / "base", default_region=settings.default_region)
    files = [
        dataclasses.replace(f, source=f"{f.source or load_mapping(f.mapping).source}_base")
        for f in plan([workdir / "base"], None, None)
    ]
    with Quarantine(workdir / "base-quarantine.jsonl") as quarantine:
        summary, imported = prepare(files, quarantine, options, workdir / "base-csv")
    base = BaselineGraph()
    for planned in files:
        for row in map_file(planned, options)[0]:
            base.add(row)
    warm: list[PlannedFile] = []
    if not cold:
        generate(warm_people, seed + 2000, workdir / "warm", default_region=settings.default_region)
        warm = [
            dataclasses.replace(f, source=f"{f.source or load_mapping(f.mapping).source}_warm")
            for f in plan([workdir / "warm"], None, None)
        ]
        for planned in warm:
            for row in map_file(planned, options)[0]:
                base.add(row)
    keys = frozenset(base.identifiers) | {uid for nodes in base.nodes.values() for uid in nodes}
    print(
        f"# populated graph: {people:,} people, {summary.rows_read:,} rows, "
        f"{imported.node_count + imported.relationship_count:,} nodes + relationships, "
        f"importer files in {time.perf_counter() - started:.1f}s",
        flush=True,
    )
    return Populated(imported, settings, watch, keys, warm, options, workdir)


def total(counts: dict[str, dict[str, int]]) -> tuple[int, int]:
    return sum(counts["nodes"].values()), sum(counts["relationships"].values())


def main() -> None:
    args = parse_args()
    settings = bench_settings(args.query_timeout)
    options = LoadOptions(
        batch_size=args.batch_size, region=settings.default_region, max_field_length=settings.max_field_length
    )
    watch = Stopwatch()
    workdir = Path(tempfile.mkdtemp(prefix="c360-bench-load-"))
    data = args.data or workdir / "data"
    try:
        if args.data is None:
            with watch.measure(f"generate {args.people:,} people"):
                summary = generate(args.people, args.seed, data, default_region=settings.default_region)
            print(
                f"#   {summary.records:,} person records, {sum(summary.files.values()) - summary.records:,} data rows"
            )
        generate(WARMUP_PEOPLE, args.seed + 1, workdir / "warmup", default_region=settings.default_region)
        files = plan([data], None, None)
        with open_graph(settings, args.keep) as graph:
            watch.pid = server_pid(settings)
            warm_up(graph, plan([workdir / "warmup"], None, None), options, workdir)
            populated = None
            if args.populated:
                populated = populate(
                    settings,
                    args.populated,
                    args.seed,
                    workdir,
                    options,
                    watch,
                    cold=args.cold,
                    warm_people=min(args.people, POPULATED_WARMUP_PEOPLE),
                )
            figures = run(graph, files, options, watch, workdir, settings.neo4j_query_timeout, populated)
        if args.profile:
            profile_mapping(files, options, args.profile)
        figures |= {
            "people": args.people if args.data is None else None,
            "seed": args.seed,
            "batch_size": args.batch_size,
            "populated_people": args.populated,
            "warm": bool(args.populated) and not args.cold,
            "data": str(data),
        }
        emit_json(figures)
    finally:
        if args.keep_data:
            print(f"# generated data kept in {data}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def profile_mapping(files: list[PlannedFile], options: LoadOptions, top: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for planned in files:
        map_file(planned, options)
    profiler.disable()
    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    for title, column in (("own time", 2), ("cumulative time", 3)):
        ranked = sorted(entries.items(), key=lambda item: -item[1][column])[:top]
        print_table(
            f"Profile of parse+validate by {title} (cProfile, untimed extra pass; the profiler inflates small calls)",
            ["function", "calls", "own s", "cumulative s"],
            [
                [f"{Path(file).name}:{line}({name})", calls, own, cumulative]
                for (file, line, name), (_, calls, own, cumulative, _) in ranked
            ],
        )


def warm_up(graph: Graph, files: list[PlannedFile], options: LoadOptions, workdir: Path) -> None:
    """A small untimed load and baseline first, so neither measured run pays for a cold JVM
    (JIT, query planning) alone."""
    started = time.perf_counter()
    fresh(graph)
    with Quarantine(workdir / "warmup-quarantine.jsonl") as quarantine:
        load(graph, files, quarantine, options)
    base = BaselineGraph()
    for planned in files:
        for row in map_file(planned, options)[0]:
            base.add(row)
    fresh(graph)
    write_baseline(graph, base, options.batch_size)
    print(
        f"# warm-up ({WARMUP_PEOPLE} people, c360 load + baseline, untimed): {time.perf_counter() - started:.1f}s",
        flush=True,
    )


def run(
    graph: Graph,
    files: list[PlannedFile],
    options: LoadOptions,
    watch: Stopwatch,
    workdir: Path,
    timeout: float,
    populated: Populated | None,
) -> dict[str, Any]:
    # 0. Untimed: map every file, and write the baseline's graph once, so the store files have
    # grown to this size before any timed run. Otherwise the first timed run alone pays for
    # growing them (new pages, id allocation): on a fresh store c360's end-to-end run, which
    # came first, used twice the Neo4j CPU of the BatchWriter-only run on the same rows
    # (33.7 s against 16.1 s at 5k people); on a grown store the two are equal (13.5 s, 13.7 s).
    base = BaselineGraph()
    for planned in files:
        for row in map_file(planned, options)[0]:
            base.add(row)
    gc.collect()
    # Populated (--populated): each timed run starts from a re-imported graph (minutes on this
    # machine), so the store is not grown again and c360's writer is not run alone.
    if populated is None:
        fresh(graph)
        started = time.perf_counter()
        write_baseline(graph, base, options.batch_size)
        print(f"# store grown (baseline graph written once, untimed): {time.perf_counter() - started:.1f}s", flush=True)

    # 1. c360 end to end: the real pipeline on c360's own Graph.
    fresh(graph, populated)
    # Populated: the writer is not run alone, so the end-to-end run is the one timed per statement.
    timed = TimedGraph(graph, timeout)
    with Quarantine(workdir / "quarantine.jsonl") as quarantine, watch.measure(E2E):
        summary = load(timed if populated is not None else graph, files, quarantine, options)
    c360_counts = stats.counts(graph)
    c360_nodes, c360_rels = total(c360_counts)
    e2e = summary.seconds

    # 2. Breakdown: read alone; read + map + validate (no writes); c360's writer alone.
    with watch.measure(READ):
        for planned in files:
            _, fmt = _mapper(planned, options)
            for _ in read_rows(planned.path, fmt):
                pass
    if populated is None:
        fresh(graph)
        timed = TimedGraph(graph, timeout)
    mapped_rows = bad_rows = 0
    print(f"# {PARSE}, then {WRITER} (file by file) ...", flush=True)
    for planned in files:
        with watch.measure(PARSE, echo=False):
            mapped, _, bad = map_file(planned, options)
        mapped_rows += len(mapped)
        bad_rows += bad
        with watch.measure(WRITER, echo=False):
            writer = BatchWriter(timed, options.batch_size)
            try:
                for row in [] if populated is not None else mapped:
                    writer.add(row)
            finally:
                writer.close()
        del mapped
        gc.collect()
    parse_seconds, write_seconds = watch.seconds[PARSE], watch.seconds[WRITER]
    print(f"#   parse+validate {parse_seconds:.2f}s, c360 writes {write_seconds:.2f}s", flush=True)
    writer_counts = c360_counts if populated is not None else stats.counts(graph)

    # 3. Baseline: same nodes and relationships, plain UNWIND CREATE, bare driver.
    fresh(graph, populated)
    known = populated.keys if populated is not None else frozenset()
    if populated is not None and populated.warm:
        rehearse_baseline(graph, base, known)
        settle(populated.watch)
    with watch.measure(BASELINE):
        base_seconds, base_steps = write_baseline(graph, base, options.batch_size, known)
    base_counts = stats.counts(graph)
    base_nodes, base_rels = total(base_counts)

    # Tables.
    rows_per_s = summary.rows_read / e2e
    entities = c360_nodes + c360_rels
    print_table(
        "Graph written (node and relationship counts after each run)",
        ["label / type", "c360 load", "c360 writer only", "baseline"],
        [
            *[
                [
                    f":{k}",
                    c360_counts["nodes"].get(k, 0),
                    writer_counts["nodes"].get(k, 0),
                    base_counts["nodes"].get(k, 0),
                ]
                for k in sorted(set(c360_counts["nodes"]) | set(base_counts["nodes"]))
            ],
            *[
                [
                    f"[:{k}]",
                    c360_counts["relationships"].get(k, 0),
                    writer_counts["relationships"].get(k, 0),
                    base_counts["relationships"].get(k, 0),
                ]
                for k in sorted(set(c360_counts["relationships"]) | set(base_counts["relationships"]))
            ],
            ["total nodes + relationships", entities, sum(total(writer_counts)), base_nodes + base_rels],
        ],
    )
    same_graph = c360_counts == base_counts == writer_counts
    print(f"same counts in all three runs: {same_graph}")

    print_table(
        "c360 writes by catalog statement (writer-only run, or the end-to-end run when populated; "
        "time inside the shared batch transaction)",
        ["statement", "calls", "seconds"],
        timed.table(),
    )
    print_table(
        "Baseline writes (bare driver, plain UNWIND CREATE; rows de-duplicated and built before the clock)",
        ["statement", "rows", "seconds"],
        [[name, len(rows), base_steps[name]] for name, _, rows in _statements(base, known)],
    )
    print_table(
        "Phases: wall seconds and CPU seconds of this Python process and of the Neo4j JVM",
        ["phase", "wall s", "python CPU s", "Neo4j CPU s"],
        watch.rows(),
    )
    print_table(
        "c360 load time breakdown",
        ["part", "seconds", "share of end to end"],
        [
            ["end to end (pipeline.load)", e2e, 1.0],
            ["  read files only (CSV/JSON parsing)", watch.seconds[READ], watch.seconds[READ] / e2e],
            ["  parse + validate (read + RowMapper, no writes)", parse_seconds, parse_seconds / e2e],
            ["  writing (BatchWriter on pre-mapped rows)", write_seconds, write_seconds / e2e],
            ["  parse + write, sequential sum", parse_seconds + write_seconds, (parse_seconds + write_seconds) / e2e],
        ],
    )
    print(
        "(the pipeline overlaps mapping with the previous batch's write on a background thread, "
        "so end to end can be less than the sum)"
    )

    e2e_ratio = e2e / base_seconds
    print_table(
        "Load benchmark",
        ["figure", "value", "target", "met"],
        [
            ["source rows read", summary.rows_read, None, None],
            ["rows loaded / quarantined", f"{summary.rows_loaded:,} / {summary.rows_quarantined:,}", None, None],
            ["entities written (nodes + relationships)", entities, None, None],
            ["c360 seconds (end to end)", e2e, None, None],
            ["baseline seconds (CREATE writes only)", base_seconds, None, None],
            ["ratio c360 end to end / baseline", e2e_ratio, f"<= {TARGET_RATIO:g}", e2e_ratio <= TARGET_RATIO],
            ["ratio c360 writes only / baseline", write_seconds / base_seconds, None, None],
            ["ratio c360 parse+validate / baseline", parse_seconds / base_seconds, None, None],
            [
                "source rows/s (end to end)",
                rows_per_s,
                f">= {TARGET_ROWS_PER_SECOND:,}",
                rows_per_s >= TARGET_ROWS_PER_SECOND,
            ],
            ["source rows/s, parse+validate alone", summary.rows_read / parse_seconds, None, None],
            ["entities/s (end to end)", entities / e2e, None, None],
            ["baseline entities/s", (base_nodes + base_rels) / base_seconds, None, None],
        ],
    )
    return {
        "rows_read": summary.rows_read,
        "rows_loaded": summary.rows_loaded,
        "rows_quarantined": summary.rows_quarantined,
        "mapped_rows": mapped_rows,
        "bad_rows": bad_rows,
        "nodes": c360_nodes,
        "relationships": c360_rels,
        "entities": entities,
        "c360_seconds": round(e2e, 3),
        "baseline_seconds": round(base_seconds, 3),
        "ratio": ratio(e2e, base_seconds),
        "writes_only_ratio": ratio(write_seconds, base_seconds),
        "parse_validate_ratio": ratio(parse_seconds, base_seconds),
        "rows_per_second": round(rows_per_s, 1),
        "entities_per_second": round(entities / e2e, 1),
        "parse_validate_rows_per_second": round(summary.rows_read / parse_seconds, 1),
        "baseline_entities_per_second": round((base_nodes + base_rels) / base_seconds, 1),
        "read_seconds": round(watch.seconds[READ], 3),
        "parse_validate_seconds": round(parse_seconds, 3),
        "write_seconds": round(write_seconds, 3),
        "phases": {
            name: {
                "wall": round(m.wall, 3),
                "python_cpu": round(m.client_cpu, 3),
                "neo4j_cpu": None if m.server_cpu is None else round(m.server_cpu, 3),
            }
            for name, m in watch.taken.items()
        },
        "c360_statements": {name: {"calls": calls, "seconds": round(secs, 3)} for name, calls, secs in timed.table()},
        "baseline_steps": {k: round(v, 3) for k, v in base_steps.items()},
        "baseline_rows": "precomputed before the clock (RowMapper output, de-duplicated); only CREATE writes timed",
        "same_counts": same_graph,
        "c360_counts": c360_counts,
        "baseline_counts": base_counts,
        "target_rows_per_second_met": rows_per_s >= TARGET_ROWS_PER_SECOND,
        "target_ratio_met": e2e_ratio <= TARGET_RATIO,
    }


if __name__ == "__main__":
    main()
