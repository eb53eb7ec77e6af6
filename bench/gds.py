"""Graph Data Science WCC against the streaming rebuild's components (issue 17, section 3).

Run after `bench/resolve.py --keep` (or on any resolved graph in the benchmark's managed Neo4j):

1. Resolves `org.neo4j.gds:opengds-extension`, `proc` and `proc-sysinfo` (the pieces of the
   OpenGDS plugin, `--gds-version`, default 2.13.9: the line for Neo4j 5.26) from Maven Central
   with `mvn dependency:copy-dependencies` into `~/.cache/c360/gds-<version>/`.
2. Restarts the benchmark's server with those jars on its classpath and as its plugins
   directory (outside the server's home, so the plain server never sees them) and
   `dbms.security.procedures.unrestricted=gds.*`.
3. GDS: a Cypher projection of every record and the identifiers that link (strong kinds, on at
   least two records and at most their cap, not held out by the rebuild's verdicts of step 4),
   `gds.wcc.stats`, then `gds.wcc.stream` of the records'
   component ids into Python (what a rebuild would need), each timed; then the same-partition
   check in Cypher: records grouped by WCC component and by their profile must give the same
   groups (distinct (component, profile) pairs = components = profiles).
4. Baseline in the same run, first: the streaming rebuild's own way to the same components
   (`rebuild.index_records` + `read_links` + `components.cluster`, which also judge every
   identifier's held-out verdict from names and birth dates, something WCC cannot do).

The server is restarted without GDS at the end (stopped unless `--keep`). Last line: JSON.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Stopwatch, bench_settings, emit_json, print_table, ratio  # noqa: E402

from c360.runtime import connect, managed_server  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.identity import load_rules  # noqa: E402
from graph.identity.components import cluster  # noqa: E402
from graph.identity.rebuild import index_records, read_links  # noqa: E402
from graph.server import ManagedNeo4j  # noqa: E402

GDS_ARTIFACTS = ("opengds-extension", "proc", "proc-sysinfo")
GRAPH_NAME = "c360_wcc_bench"

# Bare Cypher of this benchmark (GDS procedures are not part of c360's catalog).
PROJECT = """
MATCH (c:Customer)
OPTIONAL MATCH (c)-[:HAS_IDENTIFIER]->(i:Identifier)
  WHERE i.kind IN $kinds AND NOT i.key IN $held
    AND 1 < COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $limits[i.kind]
WITH gds.graph.project($name, c, i, {}, {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
"""
STATS = "CALL gds.wcc.stats($name) YIELD componentCount, computeMillis RETURN componentCount, computeMillis"
STREAM = """
CALL gds.wcc.stream($name) YIELD nodeId, componentId
WITH gds.util.asNode(nodeId) AS n, componentId WHERE n:Customer
RETURN collect(n.uid) AS uids, collect(componentId) AS components
"""
CHECK = """
CALL gds.wcc.stream($name) YIELD nodeId, componentId
WITH gds.util.asNode(nodeId) AS n, componentId WHERE n:Customer
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(n)
WITH componentId, p.pid AS pid
RETURN count(*) AS records, count(pid) AS with_profile, count(DISTINCT componentId) AS components,
       count(DISTINCT pid) AS profiles, count(DISTINCT [componentId, pid]) AS pairs
"""
DROP = "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName"


def gds_jars(version: str, cache: Path) -> Path:
    """The plugin's jars (without those Neo4j ships itself), fetched once with Maven."""
    target = cache / f"gds-{version}"
    if (target / f"proc-{version}.jar").is_file():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        sys.exit("bench/gds.py needs Maven (mvn) to fetch GDS from Maven Central")
    deps = "".join(
        f"<dependency><groupId>org.neo4j.gds</groupId><artifactId>{a}</artifactId><version>{version}</version>"
        "</dependency>"
        for a in GDS_ARTIFACTS
    )
    pom = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<groupId>io.c360</groupId><artifactId>c360-gds-bench</artifactId><version>1</version>"
        f"<packaging>pom</packaging><dependencies>{deps}</dependencies></project>"
    )
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "pom.xml").write_text(pom)
        staging = Path(work) / "lib"
        done = subprocess.run(
            [mvn, "-q", "-B", "-f", str(Path(work) / "pom.xml"), "dependency:copy-dependencies"]
            + [f"-DoutputDirectory={staging}", "-DincludeScope=runtime"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"GDS {version} did not resolve from Maven Central:\n{(done.stdout + done.stderr)[-2000:]}")
        shutil.copytree(staging, target)
    return target


@dataclass(frozen=True)
class GdsServer(ManagedNeo4j):
    """The benchmark's managed server with the GDS jars on its classpath and as its plugins."""

    gds: Path = Path()

    def install(self) -> Path:
        neo4j = super().install()
        combined = self.root.parent / f"{self.root.name}-gds-lib"
        shutil.rmtree(combined, ignore_errors=True)
        combined.mkdir(parents=True)
        for jar in neo4j.glob("*.jar"):
            (combined / jar.name).symlink_to(jar)
        for jar in self.plugins().glob("*.jar"):
            (combined / jar.name).symlink_to(jar)
        return combined

    def plugins(self) -> Path:
        """GDS's jars, less the libraries Neo4j already ships (Neo4j's own versions win)."""
        folder = self.root.parent / f"{self.root.name}-gds-plugins"
        if folder.exists():
            return folder
        folder.mkdir(parents=True)
        neo4j = super().install()
        shipped = {jar.name.rsplit("-", 1)[0] for jar in neo4j.glob("*.jar")}
        for jar in self.gds.glob("*.jar"):
            name, version = jar.stem.rsplit("-", 1)
            if version == self.gds.name.removeprefix("gds-") or name not in shipped:
                shutil.copy(jar, folder / jar.name)
        return folder

    def _write_config(self) -> None:
        super()._write_config()
        conf = self.root / "conf" / "neo4j.conf"
        text = conf.read_text().replace(
            f"server.directories.plugins={self.root / 'plugins'}", f"server.directories.plugins={self.plugins()}"
        )
        conf.write_text(text + "dbms.security.procedures.unrestricted=gds.*\n")


def bare(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    with graph.driver.session(database=graph.database) as session:
        return session.execute_write(lambda tx: [r.data() for r in tx.run(text, **params)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gds-version", default="2.13.9")
    parser.add_argument("--keep", action="store_true", help="leave the plain server running at the end")
    args = parser.parse_args()
    settings = bench_settings(3600.0)
    if not settings.managed:
        sys.exit("bench/gds.py restarts the benchmark's managed Neo4j with GDS: unset NEO4J_URI")
    rules = load_rules()
    plain = managed_server(settings)
    jars = gds_jars(args.gds_version, settings.cache_dir.expanduser().resolve())
    server = GdsServer(**{f: getattr(plain, f) for f in plain.__dataclass_fields__}, gds=jars)
    watch = Stopwatch()
    with watch.measure("restart the server with GDS"):
        plain.stop()
        server.start()
    watch.pid = server.status().pid
    graph = connect(settings, start=False)
    figures: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "gds": args.gds_version}
    try:
        figures["gds_version_reported"] = bare(graph, "RETURN gds.version() AS v")[0]["v"]
        # Baseline: the streaming rebuild's own path to the same components.
        now = datetime.now(UTC)
        with watch.measure("(b) rebuild: index_records (pages of records)"):
            # A resolved graph has nothing pending; a record that is stays pending under this
            # token, which the next resolution claims like a crashed run's.
            index = index_records(graph, rules, now, "bench:gds")
        with watch.measure("(b) rebuild: read_links (pages of identifiers, verdicts)"):
            links = read_links(graph, rules, index)
        with watch.measure("(b) rebuild: components.cluster"):
            clusters = cluster(len(index.uids), links.groups, links.pairs, links.cannot)
        # WCC cannot judge an identifier by its sharers' names: it takes the rebuild's verdicts
        # (stored as `held_out` at the end of a rebuild; passed here, so a graph whose rebuild
        # never finished compares the same way).
        held = [key for key, _ in links.held_out]
        bare(graph, DROP, name=GRAPH_NAME)
        with watch.measure("(a) GDS: Cypher projection of records + linking identifiers"):
            projected = bare(graph, PROJECT, name=GRAPH_NAME, kinds=rules.strong, held=held, limits=rules.caps())[0]
        with watch.measure("(a) GDS: gds.wcc.stats"):
            stats = bare(graph, STATS, name=GRAPH_NAME)[0]
        with watch.measure("(a) GDS: gds.wcc.stream of the records' components into Python"):
            streamed = bare(graph, STREAM, name=GRAPH_NAME)[0]
        with watch.measure("(a) same-partition check (Cypher)"):
            check = bare(graph, CHECK, name=GRAPH_NAME)[0]
        bare(graph, DROP, name=GRAPH_NAME)
    finally:
        graph.close()
        server.stop()
        if args.keep:
            plain.start()
    # The two partitions, record by record (holds on a graph whose profiles are not written yet).
    label = {index.uids[i]: at for at, members in enumerate(clusters) for i in members}
    pairs = {(c, label[u]) for u, c in zip(streamed["uids"], streamed["components"], strict=True)}
    same_as_rebuild = len(pairs) == len(set(streamed["components"])) == len(clusters) and len(label) == len(
        streamed["uids"]
    )
    secs = watch.seconds
    gds_total = sum(v for k, v in secs.items() if k.startswith("(a) GDS"))
    rebuild_total = sum(v for k, v in secs.items() if k.startswith("(b)"))
    same = check["pairs"] == check["components"] == check["profiles"] == len(clusters)
    figures |= {
        "records": check["records"],
        "projected_nodes": projected["nodes"],
        "projected_relationships": projected["relationships"],
        "wcc_components": stats["componentCount"],
        "wcc_compute_ms": stats["computeMillis"],
        "streamed_records": len(streamed["uids"]),
        "check": check,
        "rebuild_clusters": len(clusters),
        "same_partition_as_profiles": same,
        "same_partition_as_rebuild": same_as_rebuild,
        "gds_seconds": round(gds_total, 2),
        "rebuild_components_seconds": round(rebuild_total, 2),
        "ratio_gds_to_rebuild": ratio(gds_total, rebuild_total),
        "phases": {k: {"wall": round(m.wall, 2), "python_cpu": round(m.client_cpu, 2)} for k, m in watch.taken.items()},
    }
    print_table("Phases", ["phase", "wall s", "python CPU s", "Neo4j CPU s"], watch.rows())
    print_table(
        "GDS WCC against the streaming rebuild's components",
        ["figure", "value"],
        [
            ["records", check["records"]],
            ["WCC components among records (check)", check["components"]],
            ["profiles", check["profiles"]],
            ["rebuild clusters", len(clusters)],
            ["same partition as the profiles", same],
            ["same partition as the rebuild's clusters (record by record)", same_as_rebuild],
            ["GDS: project + stats + stream, s", gds_total],
            ["rebuild: index + links + cluster, s", rebuild_total],
        ],
    )
    emit_json(figures)


if __name__ == "__main__":
    main()
