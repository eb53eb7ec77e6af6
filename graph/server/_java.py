"""Find a Java runtime that can run the chosen Neo4j version."""

import re
import shutil
import subprocess
from pathlib import Path

from graph.server._errors import Neo4jServerError


def supported_java(neo4j_version: str) -> range:
    """Neo4j 5.x runs on Java 17 or 21; calendar versions (2025.x and later) need 21 or newer."""
    major = int(neo4j_version.split(".", 1)[0])
    return range(17, 22) if major == 5 else range(21, 100)


def find_java(java_home: Path | None, neo4j_version: str) -> Path:
    candidates: list[Path] = []
    if java_home is not None:
        candidates.append(java_home / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    # Newer Neo4j needs a newer JDK than the default one; look where Debian and Temurin install them.
    candidates.extend(sorted(Path("/usr/lib/jvm").glob("*/bin/java")))
    supported = supported_java(neo4j_version)
    seen: list[str] = []
    for java in candidates:
        if not java.is_file():
            continue
        version = java_major(java)
        seen.append(f"{java} (Java {version})")
        if version in supported:
            return java
    found = "; ".join(seen) or "none"
    raise Neo4jServerError(
        f"Neo4j {neo4j_version} needs Java {supported.start} or newer"
        f"{' up to 21' if supported.stop == 22 else ''}, found: {found}. "
        "Install a JDK (apt-get install openjdk-17-jre-headless) or point C360_JAVA_HOME at one."
    )


def java_major(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major
