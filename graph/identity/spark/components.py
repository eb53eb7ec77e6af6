"""Connected components on Spark DataFrames by min-label propagation with pointer jumping.

GraphFrames' connectedComponents would do (its jar is on Maven Central as
io.graphframes:graphframes-spark3_2.12), but that artifact did not resolve on this project's
machines, so components are computed with Spark's own DataFrame operations:

1. every vertex starts with its own id as label;
2. each round, a vertex takes the smallest label among itself and its neighbours, then the
   label of its label (pointer jumping, which roughly halves the remaining depth);
3. stop when no label changed.

Rounds grow with the longest shortest path inside a component. Identifiers arrive as stars
(every record linked to the smallest record on the identifier), so a person's records are a few
hops apart and a rebuild converges in a handful of rounds. The lineage is cut every round
(`localCheckpoint`) so the plan does not grow with the rounds.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["MAX_ROUNDS", "min_label_components"]

MAX_ROUNDS = 200


def min_label_components(vertices: "DataFrame", edges: "DataFrame") -> tuple["DataFrame", int]:
    """(id, label) for `vertices(id)` and undirected `edges(src, dst)`; label = smallest id of the
    component. Also returns the number of rounds it took."""
    from pyspark.sql import functions as F

    both = (
        edges.select("src", "dst")
        .union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
        .where("src != dst")
        .distinct()
        .localCheckpoint()
    )
    labels = vertices.select("id", F.col("id").alias("label")).localCheckpoint()
    for rounds in range(1, MAX_ROUNDS + 1):
        offers = both.join(labels.withColumnRenamed("id", "src"), "src").select(F.col("dst").alias("id"), "label")
        step = labels.union(offers).groupBy("id").agg(F.min("label").alias("label"))
        jumped = (
            step.alias("v")
            .join(step.alias("l"), F.col("v.label") == F.col("l.id"), "left")
            .select(F.col("v.id").alias("id"), F.least("v.label", F.coalesce("l.label", "v.label")).alias("label"))
            .localCheckpoint()
        )
        changed = (
            jumped.alias("n").join(labels.alias("o"), "id").where(F.col("n.label") != F.col("o.label")).limit(1).count()
        )
        labels = jumped
        if changed == 0:
            return labels, rounds
    raise RuntimeError(f"components did not converge in {MAX_ROUNDS} rounds")
