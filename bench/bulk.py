"""Bulk import benchmark (issue 17, section 1): `c360 load --bulk` against the bare importer.

Generates N people of sample data; on the benchmark's own managed Neo4j, emptied first:

1. c360 end to end (`c360.cli._bulk.bulk_load`): read, map, validate, normalize, quarantine, fold,
   write the importer's CSV files, stop the server, `neo4j-admin database import full`, start,
   schema, full resolve. Each phase is timed.
2. Baseline, in the same run: the bare importer alone on the SAME CSV files (server stopped,
   `neo4j-admin database import full`, nothing else).

Figures that matter are ratios to the baseline (the machine is shared and noisy). The last line
of output is JSON with every figure.
"""

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio, reset  # noqa: E402

from c360.cli._bulk import bulk_load  # noqa: E402
from c360.runtime import managed_server, rules  # noqa: E402
from loaders.bulk import prepare  # noqa: E402
from loaders.manifest import plan  # noqa: E402
from loaders.pipeline import LoadOptions  # noqa: E402
from loaders.quarantine import Quarantine  # noqa: E402
from loaders.sample import generate  # noqa: E402

TARGET_ROWS_PER_SECOND = 20_000
TARGET_RATIO = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people to generate (default 100,000)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workers", type=int, default=None, help="mapping processes [C360_BULK_WORKERS, 1]")
    add_server_args(parser)
    args = parser.parse_args()
    settings = bench_settings(args.query_timeout)
    if not settings.managed:
        sys.exit("bench/bulk.py needs the managed Neo4j (the importer writes its files): unset NEO4J_URI")
    work = Path(tempfile.mkdtemp(prefix="c360-bulk-bench-"))
    try:
        started = time.perf_counter()
        summary = generate(args.people, args.seed, work / "data")
        print(
            f"# generated {summary.records:,} person records for {args.people:,} people "
            f"in {time.perf_counter() - started:.1f}s",
            flush=True,
        )
        files = plan([work / "data"], None, None)
        with open_graph(settings, keep=True) as graph:
            reset(graph)
        options = LoadOptions(
            region=settings.default_region,
            max_field_length=settings.max_field_length,
            workers=args.workers or settings.bulk_workers,
        )
        with Quarantine(work / "quarantine.jsonl") as quarantine:
            loaded, phases = bulk_load(
                settings, files, quarantine, options, rules(settings), interactive=False, say=print
            )
        e2e = loaded.seconds
        without_resolve = e2e - phases["resolve"] - phases.get("traits", 0.0)  # before the resolve
        # The baseline: the importer alone on the same files (written again outside the clock).
        with Quarantine(work / "again.jsonl") as quarantine:
            _, imported = prepare(files, quarantine, options, work / "csv")
        server = managed_server(settings)
        server.stop()
        mark = time.perf_counter()
        server.import_full(imported.nodes, imported.relationships, database=settings.neo4j_database)
        importer = time.perf_counter() - mark
        server.start()
        if not args.keep:
            server.stop()
        rows = loaded.rows_read
        figures = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "people": args.people,
            "workers": options.workers,
            "rows": rows,
            "nodes": imported.node_count,
            "relationships": imported.relationship_count,
            "phases_seconds": phases,
            "end_to_end_seconds": round(e2e, 2),
            "end_to_end_rows_per_second": round(rows / e2e, 1),
            "without_resolve_seconds": round(without_resolve, 2),
            "without_resolve_rows_per_second": round(rows / without_resolve, 1),
            "bare_importer_seconds": round(importer, 2),
            "bare_importer_entities_per_second": round((imported.node_count + imported.relationship_count) / importer),
            "ratio_end_to_end": ratio(e2e, importer),
            "ratio_without_resolve": ratio(without_resolve, importer),
            "target_rows_per_second": TARGET_ROWS_PER_SECOND,
            "target_ratio": TARGET_RATIO,
        }
        print_table(
            f"bulk import of {rows:,} source rows ({args.people:,} people)",
            ["what", "seconds", "rows/s", "ratio to importer"],
            [
                ["c360 load --bulk, end to end", e2e, rows / e2e, figures["ratio_end_to_end"]],
                [
                    "  the same without the resolve",
                    without_resolve,
                    rows / without_resolve,
                    figures["ratio_without_resolve"],
                ],
                *[[f"  phase: {name}", secs, None, None] for name, secs in phases.items()],
                ["bare neo4j-admin import, same CSVs", importer, rows / importer, 1.0],
            ],
        )
        emit_json(figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
