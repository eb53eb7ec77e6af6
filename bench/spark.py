"""Per-record cost of the Spark engine's partition against the in-process one, on the same facts.

No Neo4j: generated facts (about three records a person, sharing an email, a phone or both, a
few junk identifiers shared past the cap, a sprinkle of steward cannot-links) go through
`resolve.cluster_all` (the in-process full rebuild's verdicts + components: the same-run
baseline) and through the Spark engine's export + partition (`local[*]`). Both partitions must
be equal. Usage: ./dev bench spark --records 100000 [--records 1000000] [--master local[*]]
"""

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from graph.identity import load_rules
from graph.identity.evidence import Evidence, Record
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.resolve import cluster_all
from graph.identity.spark.export import write_records
from graph.identity.spark.partition import partition
from graph.identity.spark.session import session


def facts(n: int, seed: int = 1) -> Evidence:
    rng = random.Random(seed)
    people = max(1, n // 3)
    degree: dict[str, int] = {}
    plan = []
    for _ in range(n):
        person = rng.randrange(people)
        keys = []
        if rng.random() < 0.8:
            keys.append((f"email:p{person}@x.org", "email"))
        if rng.random() < 0.6 or not keys:
            keys.append((f"phone:+4470{person:08d}", "phone"))
        if rng.random() < 0.001:
            keys.append(("phone:+442079460000", "phone"))  # a call centre's number
        for key, _ in keys:
            degree[key] = degree.get(key, 0) + 1
        plan.append((person, keys))
    records = []
    for i, (person, keys) in enumerate(plan):
        uid = f"crm:{i:09d}"
        attrs = {
            "first_name": f"F{person % 997}",
            "last_name": f"L{person}",
            "birth_date": f"19{person % 90 + 10}-01-01",
        }
        ids = [(key, kind, degree[key], False) for key, kind in keys]
        records.append(Record(uid, "crm", "", True, None, attrs, ids, [], [], []))
    index = {r.uid: i for i, r in enumerate(records)}
    for _ in range(n // 10_000):  # steward cannot-links between neighbours
        a = rng.randrange(n - 1)
        records[a].cannot.append(records[a + 1].uid)
        records[a + 1].cannot.append(records[a].uid)
    return Evidence(records, index)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, action="append", default=None)
    parser.add_argument("--master", default="local[*]")
    args = parser.parse_args()
    rules = load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        spark = session(args.master, work / "spark")
        startup = time.perf_counter() - started
        try:
            for n in args.records or [100_000]:
                evidence = facts(n)
                t0 = time.perf_counter()
                expected = cluster_all(evidence, rules)
                t1 = time.perf_counter()
                run = work / f"run{n}"
                write_records(evidence, rules, run / "records")
                t2 = time.perf_counter()
                fuzzy = [(i, j) for i, j, _ in fuzzy_pairs(evidence.records, rules)] if rules.blocks else []
                result = partition(spark, run, rules, fuzzy)
                t3 = time.perf_counter()
                assert result.clusters == expected, "the Spark partition differs from the in-process one"
                print(
                    json.dumps(
                        {
                            "records": n,
                            "clusters": len(expected),
                            "spark_startup_s": round(startup, 2),
                            "in_process_s": round(t1 - t0, 2),
                            "export_s": round(t2 - t1, 2),
                            "spark_partition_s": round(t3 - t2, 2),
                            "spark_us_per_record": round((t3 - t1) / n * 1e6, 1),
                            "in_process_us_per_record": round((t1 - t0) / n * 1e6, 1),
                            "ratio": round((t3 - t1) / (t1 - t0), 2),
                            **result.stats,
                        }
                    ),
                    flush=True,
                )
        finally:
            spark.stop()


if __name__ == "__main__":
    main()
