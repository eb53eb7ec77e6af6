"""The full-rebuild partition on Spark: hold-out verdicts, identifier edges, components, cuts.

Same rules as the in-process engine (graph/identity/resolve.py `_cluster`), computed in Spark:

- an identifier's verdict is `people.verdict` itself, run on the executors over the records
  that share it (their names and birth dates), so the hold-out rule cannot drift;
- every strong identifier that is not held out links its records as a star; steward links,
  scored links (scoring on) and fuzzy pairs are edges too;
- components by min-label propagation (spark/components.py);
- a component holding a steward cannot-link pair is cut on the driver by the very function
  the in-process engine uses (graph/identity/components.cluster), over that component's
  evidence only: such components are few and small.
"""

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.identity import components, people
from graph.identity.rules import MatchRules
from graph.identity.spark.components import min_label_components
from graph.identity.spark.export import PEOPLE_FIELDS, SCHEMA_DDL

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["Partition", "partition"]


@dataclass
class Partition:
    verdicts: list[people.Verdict]
    """Identifiers held out now or marked held out in the graph (the others are linking and stay so)."""
    clusters: list[list[int]]
    stats: dict[str, Any] = field(default_factory=dict)


def _keys(records: "DataFrame", rules: MatchRules) -> "DataFrame":
    """One row per strong identifier: kind, degree, stored mark, verdict now, members, root."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType

    caps = F.create_map(*[x for kind in rules.strong for x in (F.lit(kind), F.lit(rules.kinds[kind].cap))])
    sharer = F.struct(*[F.col(name) for name in PEOPLE_FIELDS])
    exploded = (
        records.select("i", *PEOPLE_FIELDS, F.explode("ids").alias("id"))
        .select("i", *PEOPLE_FIELDS, "id.key", "id.kind", "id.degree", "id.held")
        # Past its cap an identifier is held out whoever shares it: no names are shipped for it.
        .withColumn("sharer", F.when(F.col("degree") <= caps[F.col("kind")], sharer))
    )
    grouped = exploded.groupBy("key").agg(
        F.first("kind").alias("kind"),
        F.first("degree").alias("degree"),
        F.max(F.col("held").cast("int")).alias("stored"),
        F.collect_list("sharer").alias("sharers"),
        F.sort_array(F.collect_list("i")).alias("members"),
    )

    def verdict(kind: str, degree: int, sharers: list[Any] | None) -> bool:
        return people.verdict(rules, kind, degree, [s.asDict() for s in sharers or []])

    judge = F.udf(verdict, BooleanType())
    return grouped.select(
        "key",
        "kind",
        "degree",
        (F.col("stored") == 1).alias("stored"),
        judge("kind", "degree", "sharers").alias("now"),
        "members",
    ).localCheckpoint()


def _pairs(records: "DataFrame", column: str) -> "DataFrame":
    from pyspark.sql import functions as F

    return records.select(F.col("i").alias("src"), F.explode(column).alias("dst"))


def _read_labels(spark: "SparkSession", labels: "DataFrame", directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """Labels to the driver as two int64 arrays, through CSV files (no Arrow needed, no Row objects)."""
    out = directory / "labels"
    labels.write.mode("overwrite").csv(str(out))
    ids, labs = [], []
    for part in sorted(glob.glob(str(out / "part-*"))):
        data = np.loadtxt(part, delimiter=",", dtype=np.int64, ndmin=2)
        if data.size:
            ids.append(data[:, 0])
            labs.append(data[:, 1])
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ids), np.concatenate(labs)


def _cut(
    spark: "SparkSession",
    records: "DataFrame",
    keys: "DataFrame",
    extra: list[tuple[int, int]],
    ids: np.ndarray,
    labels: np.ndarray,
    use_scores: bool,
) -> int:
    """Redo components that hold a cannot-link pair with components.cluster; returns how many."""
    from pyspark.sql import functions as F

    cannot = [(min(r.src, r.dst), max(r.src, r.dst)) for r in _pairs(records, "cannot").where("src < dst").collect()]
    label_of = np.empty(len(ids), dtype=np.int64)
    label_of[ids] = labels
    conflicted = sorted({int(label_of[a]) for a, b in cannot if label_of[a] == label_of[b]})
    if not conflicted:
        return 0
    members = np.flatnonzero(np.isin(label_of, conflicted))
    local = {int(g): i for i, g in enumerate(members)}
    wanted = spark.createDataFrame([(int(m),) for m in members], "i BIGINT")
    groups = [
        [local[m] for m in row.members]
        for row in keys.where("NOT now").select("members", F.col("members")[0].alias("i")).join(wanted, "i").collect()
    ]
    scored = []
    pairs = {(local[a], local[b]) for a, b in extra if a in local}
    for row in _pairs(records, "same").join(wanted.withColumnRenamed("i", "src"), "src").collect():
        pairs.add((min(local[row.src], local[row.dst]), max(local[row.src], local[row.dst])))
    if use_scores:
        for row in _pairs(records, "scored").join(wanted.withColumnRenamed("i", "src"), "src").collect():
            if row.src < row.dst:
                scored.append([local[row.src], local[row.dst]])
    inner = [(local[a], local[b]) for a, b in cannot if a in local]
    for part in components.cluster(len(members), groups + sorted(scored), sorted(pairs), sorted(inner)):
        label_of[members[part]] = members[part[0]]  # a fresh label: the part's smallest record
    labels[:] = label_of[ids]
    return len(conflicted)


def partition(spark: "SparkSession", directory: Path, rules: MatchRules, fuzzy: list[tuple[int, int]]) -> Partition:
    """Clusters (lists of record indices, as components.cluster orders them) of the records
    written under `directory/records` by export.write_records; `fuzzy`: fuzzy pairs (i < j)."""
    from pyspark.sql import functions as F

    records = spark.read.schema(SCHEMA_DDL).json(str(directory / "records")).localCheckpoint()
    n = records.count()
    keys = _keys(records, rules)
    verdicts = sorted(
        (r.key, r.kind, int(r.degree), bool(r.now), bool(r.stored))
        for r in keys.where("now OR stored").select("key", "kind", "degree", "now", "stored").collect()
    )
    use_scores = rules.scoring_on is not None
    star = keys.where("NOT now").select(
        F.col("members")[0].alias("src"), F.explode(F.slice("members", 2, 1 << 30)).alias("dst")
    )
    edges = star.union(_pairs(records, "same"))
    if use_scores:
        edges = edges.union(_pairs(records, "scored"))
    if fuzzy:
        edges = edges.union(spark.createDataFrame(fuzzy, "src BIGINT, dst BIGINT"))
    vertices = records.select(F.col("i").alias("id"))
    labels_df, rounds = min_label_components(vertices, edges)
    ids, labels = _read_labels(spark, labels_df, directory)
    cut = _cut(spark, records, keys, fuzzy, ids, labels, use_scores)
    order = np.lexsort((ids, labels))
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    clusters = sorted((sorted(part.tolist()) for part in np.split(ids[order], bounds)), key=lambda c: c[0]) if n else []
    return Partition(verdicts, clusters, {"records": n, "rounds": rounds, "cut_components": cut})
