"""Fetch the Neo4j Community runtime (jars) from Maven Central into the c360 home."""

import shutil
import subprocess
from importlib import resources
from pathlib import Path

from graph.server._errors import Neo4jServerError

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"


def lib_dir(root: Path, version: str) -> Path:
    return root / f"lib-{version}"


def is_installed(root: Path, version: str) -> bool:
    return (lib_dir(root, version) / f"neo4j-{version}.jar").is_file()


def install(root: Path, version: str) -> Path:
    """Copy the server jars for `version` into `root`; Maven's own cache makes reruns cheap."""
    target = lib_dir(root, version)
    if is_installed(root, version):
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) is not on PATH; it is needed once to fetch Neo4j from Maven Central. "
            "Install it (apt-get install maven) or set NEO4J_URI to use an existing server."
        )
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files("graph.server").joinpath("pom.xml")) as pom:
        result = subprocess.run(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(pom),
                f"-Dneo4j.version={version}",
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0 or not (staging / f"neo4j-{version}.jar").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise Neo4jServerError(f"could not fetch Neo4j {version} from Maven Central:\n" + "\n".join(tail))
    # Rename last so an interrupted download never looks installed.
    staging.rename(target)
    return target
