"""Scoring benchmark (issue 13, part 3): probabilistic matching time and quality.

On the benchmark's own Neo4j, in one process:

0. Load N corrupted people (bench/corrupt_people.py: 1-4 records each, typos, swapped names,
   transposed dates, one-digit id errors, missing values) through the real pipeline, and
   resolve with scoring off: precision / recall / F1 of the deterministic rules alone.
1. `c360 match train` (u by random sampling, m by EM), timed.
2. (a) c360's full score (`score_all`: read every record from Neo4j, build the table, Splink
   predict, write SCORED_LINK / POSSIBLE_MATCH edges) versus (b) Splink's own bare run of the
   same model on the same table in the same process (`Linker(...).inference.predict()` to a
   pandas frame). Ratio (a)/(b); both scaled to 100k records.
3. A full resolve with scoring on: precision / recall / F1 again, and the review queue size.
4. Incremental: 1,000 new records (new records of existing people) loaded, then `resolve`
   (scores them against their blocking candidates), timed.

The last line of output is JSON with every figure.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import add_server_args, bench_settings, emit_json, open_graph, print_table, ratio, reset

from bench.corrupt_people import people
from graph import schema
from graph.connection import Graph
from graph.identity import export, load_rules, resolve
from graph.identity.evaluate import score
from graph.identity.scoring import review, store
from graph.identity.scoring import score as scoring
from graph.identity.scoring.train import all_rows, train
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine

MAPPING = """
source = "people"
[[entities]]
name = "customer"
kind = "person"
id = "source_id"
identifiers = { national_id = "national_id" }
[entities.fields]
first_name = "first_name"
last_name = "last_name"
birth_date = "birth_date"
street = "street"
postcode = "postcode"
"""
COLUMNS = ["source_id", "first_name", "last_name", "birth_date", "street", "postcode", "national_id"]


def _load(graph: Graph, folder: Path, rows: list[dict[str, str]], name: str) -> float:
    (folder / "people.toml").write_text(MAPPING, encoding="utf-8")
    path = folder / f"{name}.csv"
    lines = [",".join(COLUMNS)] + [",".join(r.get(c, "") for c in COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with Quarantine(folder / "q.jsonl") as q:
        load(graph, plan([path], str(folder / "people.toml"), None), q, LoadOptions())
    return time.perf_counter() - started


def _quality(graph: Graph, truth: dict[str, str]) -> dict[str, Any]:
    predicted = {}
    for row in export.profiles(graph):
        for record in row["records"]:
            predicted[f"{record['source']}:{record['source_id']}"] = row["profile_id"]
    s = score(predicted, truth)
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1, "profiles": s.profiles, "persons": s.persons}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=40_000, help="people (about 2.5 records each)")
    parser.add_argument("--seed", type=int, default=1)
    add_server_args(parser)
    args = parser.parse_args()
    rules = load_rules()
    scoring_rules = rules.scoring_on
    assert scoring_rules is not None
    off = rules.model_copy(update={"scoring": scoring_rules.model_copy(update={"enabled": False})})
    generated = list(people(args.people, args.seed))
    extra = [row | {"source_id": f"new-{i}"} for i, (_, row) in enumerate(generated[:1000])]
    truth = {f"people:{row['source_id']}": pid for pid, row in generated}
    truth |= {f"people:new-{i}": pid for i, (pid, _) in enumerate(generated[:1000])}
    rows = [row for _, row in generated]
    figures: dict[str, Any] = {"people": args.people, "records": len(rows)}
    with open_graph(bench_settings(args.query_timeout), args.keep) as graph, tempfile.TemporaryDirectory() as tmp:
        reset(graph)
        schema.apply(graph)
        figures["load_s"] = round(_load(graph, Path(tmp), rows, "people"), 2)
        started = time.perf_counter()
        resolve(graph, off, full=True)
        figures["resolve_off_s"] = round(time.perf_counter() - started, 2)
        figures["scoring_off"] = _quality(graph, truth)
        report = train(graph, scoring_rules)
        figures["train_s"], figures["model_version"] = report.seconds, report.version
        full = scoring.score_all(graph, scoring_rules)
        figures["c360_score_s"], figures["pairs"] = full.timings["total"], full.pairs
        figures["links"], figures["reviews"] = full.links, full.reviews
        model = store.active(graph)
        assert model is not None
        from splink import DuckDBAPI, Linker

        from graph.identity.scoring.table import frame

        table = frame(scoring_rules, all_rows(graph, scoring_rules))
        started = time.perf_counter()
        linker = Linker(table, model.settings, DuckDBAPI(), set_up_basic_logging=False)
        bare = linker.inference.predict(threshold_match_probability=scoring_rules.review_threshold)
        bare_pairs = len(bare.as_pandas_dataframe())
        figures["splink_bare_s"] = round(time.perf_counter() - started, 3)
        assert bare_pairs == full.pairs, (bare_pairs, full.pairs)
        figures["ratio"] = ratio(figures["c360_score_s"], figures["splink_bare_s"])
        per = 100_000 / max(1, full.records)
        figures["c360_per_100k_s"] = round(figures["c360_score_s"] * per, 1)
        figures["splink_per_100k_s"] = round(figures["splink_bare_s"] * per, 1)
        started = time.perf_counter()
        resolve(graph, rules, full=True)
        figures["resolve_on_s"] = round(time.perf_counter() - started, 2)
        figures["scoring_on"] = _quality(graph, truth)
        figures["review_queue"] = review.count(graph)
        _load(graph, Path(tmp), extra, "extra")
        started = time.perf_counter()
        incremental = resolve(graph, rules)
        figures["incremental_1000_s"] = round(time.perf_counter() - started, 2)
        figures["incremental_scoring"] = incremental.scoring.get("timings")
    print_table(
        "scoring",
        ["what", "seconds", "per 100k records"],
        [
            ["c360 full score (read, predict, write)", figures["c360_score_s"], figures["c360_per_100k_s"]],
            ["Splink bare predict, same model and table", figures["splink_bare_s"], figures["splink_per_100k_s"]],
        ],
    )
    print_table(
        "quality",
        ["scoring", "precision", "recall", "f1"],
        [
            [name, q["precision"], q["recall"], q["f1"]]
            for name, q in (("off", figures["scoring_off"]), ("on", figures["scoring_on"]))
        ],
    )
    emit_json(figures)


if __name__ == "__main__":
    sys.exit(main())
