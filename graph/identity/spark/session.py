"""One SparkSession per process, configured for c360: loopback only, quiet, Splink's UDF jar."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkUnavailable", "session"]


class SparkUnavailable(RuntimeError):
    """pyspark (or a Java runtime for it) is missing."""


def session(master: str, local_dir: Path, *, shuffle_partitions: int = 8) -> "SparkSession":
    """A SparkSession on `master` (`local[*]` here; `spark://...`, `yarn`, `k8s://...` on a cluster;
    empty: whatever spark-submit was given).

    Splink's similarity UDF jar (Jaro-Winkler, Damerau-Levenshtein in Spark SQL) ships inside the
    splink wheel; it goes on the classpath at start-up because Spark cannot add it later.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SparkUnavailable("the Spark engine needs pyspark: pip install 'c360[spark]'") from exc
    from splink.backends.spark import similarity_jar_location

    local_dir.mkdir(parents=True, exist_ok=True)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM Spark starts
        # Python workers run this interpreter (its virtualenv has c360); on a cluster, ship an
        # environment with c360 installed and set spark.pyspark.python (README, Beyond one machine).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("c360-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.local.dir", str(local_dir))
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
    )
    if master:
        builder = builder.master(master)
    if master.startswith("local"):
        # A local session listens on loopback only, like the managed Neo4j.
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(local_dir / "checkpoints"))
    return spark
