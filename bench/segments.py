"""Traits and segments at scale.

Generates `--people` people, loads and resolves them (or reuses the loaded graph with
`--reuse`), then measures:
  * `traits.refresh_all` over the whole base, and `traits.refresh` of 1,000 profiles;
  * for three typical segment definitions: c360's compiled count and first page (100) next to a
    hand-written Cypher query of the same definition, in the same run (median of 3 each).
Target: compiled within 1.5x of hand-written, count under 1 s at 100k profiles.

    python bench/segments.py --people 20000
    C360_BENCH_BOLT_PORT=7764 C360_BENCH_HTTP_PORT=7765 C360_BENCH_HOME=.c360-bench-seg python bench/segments.py
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio, reset

from graph import schema, segments, stats, traits
from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.segments.compile import compile_count, compile_page
from graph.segments.store import _run
from graph.traits import TraitConfig
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from loaders.sample import generate

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)
SINCE_180 = (AS_OF - timedelta(days=180)).isoformat()
SINCE_365 = (AS_OF - timedelta(days=365)).isoformat()
# Three typical definitions, each with the Cypher a developer would write by hand for it.
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "loyal: lifecycle active|reactivated and m_score >= 4",
        {"where": {"and": [{"trait": "lifecycle", "op": "in", "value": ["active", "reactivated"]},
                           {"trait": "m_score", "op": "gte", "value": 4}]}},
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND p.trait_lifecycle IN ['active', 'reactivated'] "
        "AND p.trait_m_score >= 4 RETURN count(p) AS size",
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND p.trait_lifecycle IN ['active', 'reactivated'] "
        "AND p.trait_m_score >= 4 RETURN p.pid AS pid ORDER BY pid LIMIT 100",
    ),
    (
        "2+ orders in the last 180 days",
        {"where": {"behaviour": {"type": "order", "min": 2, "since": SINCE_180}}},
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND COUNT { MATCH (p)-[:HAS_RECORD]->(:Customer)"
        "-[:HAD_TOUCHPOINT]->(t:Touchpoint {type: 'order'}) WHERE t.at >= $since RETURN DISTINCT t } >= 2 "
        "RETURN count(p) AS size",
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND COUNT { MATCH (p)-[:HAS_RECORD]->(:Customer)"
        "-[:HAD_TOUCHPOINT]->(t:Touchpoint {type: 'order'}) WHERE t.at >= $since RETURN DISTINCT t } >= 2 "
        "RETURN p.pid AS pid ORDER BY pid LIMIT 100",
    ),
    (
        "GB, has email, no web visit in 365 days",
        {"where": {"and": [{"golden": "country", "op": "eq", "value": "GB"}, {"has_identifier": "email"},
                           {"behaviour": {"channel": "web", "max": 0, "since": SINCE_365}}]}},
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND p.country = 'GB' "
        "AND EXISTS { (p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(:Identifier {kind: 'email'}) } "
        "AND NOT EXISTS { (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint {channel: 'web'}) "
        "WHERE t.at >= $since } RETURN count(p) AS size",
        "MATCH (p:Profile) WHERE p.restricted IS NULL AND p.country = 'GB' "
        "AND EXISTS { (p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(:Identifier {kind: 'email'}) } "
        "AND NOT EXISTS { (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint {channel: 'web'}) "
        "WHERE t.at >= $since } RETURN p.pid AS pid ORDER BY pid LIMIT 100",
    ),
]  # fmt: skip


def _median(fn: Any, runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _hand(graph: Graph, text: str, since: datetime) -> list[dict[str, Any]]:
    records, _, _ = graph.driver.execute_query(text, {"since": since}, database_=graph.database)
    return [dict(r) for r in records]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded graph (skip generate/load/resolve)")
    add_server_args(parser)
    args = parser.parse_args()
    figures: dict[str, Any] = {"people": args.people}
    with open_graph(bench_settings(args.query_timeout), args.keep) as graph:
        if not args.reuse:
            reset(graph)
            with tempfile.TemporaryDirectory() as folder:
                data = Path(folder)
                generate(args.people, args.seed, data)
                started = time.perf_counter()
                with Quarantine(data / "q.jsonl") as quarantine:
                    load(graph, plan([data], None, None), quarantine, LoadOptions())
                figures["load_s"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            resolve(graph, load_rules(), full=True)
            figures["resolve_s"] = round(time.perf_counter() - started, 1)
        # A kept graph may predate indexes the code now relies on (traits_pending, segment changes).
        schema.apply(graph)
        counts = stats.counts(graph)["nodes"]
        figures["profiles"], figures["touchpoints"] = counts.get("Profile", 0), counts.get("Touchpoint", 0)
        print(f"# {figures['profiles']:,} profiles, {figures['touchpoints']:,} touchpoints", flush=True)
        report = traits.refresh_all(graph, TraitConfig(as_of=AS_OF))
        figures["refresh_all_s"] = round(report.seconds, 1)
        figures["refresh_all_per_profile_ms"] = round(1000 * report.seconds / max(report.profiles, 1), 3)
        pids = [r["pid"] for r in graph.read("traits_all_profiles")][:: max(1, figures["profiles"] // 1000)][:1000]
        batch = traits.refresh(graph, pids)
        figures["refresh_1000_s"] = round(batch.seconds, 2)
        rows = []
        since = AS_OF - timedelta(days=180)
        for index, (label, definition, count_text, page_text) in enumerate(CASES):
            hand_since = since if index == 1 else AS_OF - timedelta(days=365)
            parsed = segments.parse(definition)
            count_c = compile_count(parsed)
            page_c = compile_page(parsed)
            c_count, c_size = _median(lambda: _run(graph, count_c)[0]["size"])  # noqa: B023
            h_count, h_size = _median(lambda: _hand(graph, count_text, hand_since)[0]["size"])  # noqa: B023
            c_page, c_pids = _median(lambda: [r["pid"] for r in _run(graph, page_c, after=None, limit=100)])  # noqa: B023
            h_page, h_pids = _median(lambda: [r["pid"] for r in _hand(graph, page_text, hand_since)])  # noqa: B023
            same = c_size == h_size and c_pids == h_pids
            rows.append(
                [label, c_size, c_count, h_count, ratio(c_count, h_count), c_page, h_page, ratio(c_page, h_page), same]
            )
            figures[f"case{index}"] = {
                "size": c_size,
                "count_s": round(c_count, 3),
                "hand_count_s": round(h_count, 3),
                "page_s": round(c_page, 3),
                "hand_page_s": round(h_page, 3),
                "same": same,
            }
    print_table(
        f"traits at {figures['profiles']:,} profiles",
        ["what", "seconds"],
        [
            ["refresh_all (incl. RFM + CLV fit)", figures["refresh_all_s"]],
            ["refresh of 1,000 profiles", figures["refresh_1000_s"]],
        ],
    )
    print_table(
        "segments: compiled vs hand-written (median of 3)",
        ["definition", "size", "count", "hand", "ratio", "page", "hand", "ratio", "same"],
        rows,
    )
    emit_json(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
