"""Start, stop and inspect a Neo4j Community server that c360 runs itself on the JVM."""

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.server import _install, _java
from graph.server._errors import Neo4jServerError

# Neo4j's own launcher passes these; without the add-opens some code paths log reflective-access
# failures, and the netty flag keeps Bolt on its fast buffer path.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    version: str
    home: Path


@dataclass(frozen=True)
class ManagedNeo4j:
    """A Neo4j server whose files all live under `root` (data, logs, pid, password)."""

    root: Path
    version: str
    bolt_port: int
    http_port: int
    heap: str
    pagecache: str
    java_home: Path | None = None
    start_timeout: float = 180.0
    user: str = "neo4j"
    cache: Path | None = None  # where the jars go; default: inside root

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def pid_file(self) -> Path:
        return self.root / "run" / "c360-neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.root / "logs" / "console.log"

    def password(self) -> str:
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            raise Neo4jServerError(
                f"no password in {self.password_file}: the managed server was never started here"
            ) from None

    def install(self) -> Path:
        return _install.install(self.cache or self.root, self.version)

    @property
    def installed(self) -> bool:
        """Whether the jars are in place (then Maven and the network are not needed)."""
        return _install.is_installed(self.cache or self.root, self.version)

    def status(self) -> ServerStatus:
        pid = self._live_pid()
        return ServerStatus(pid is not None, pid, self.uri, self.version, self.root)

    def start(self) -> ServerStatus:
        """Start the server, or reuse it if it already runs; return once Bolt answers."""
        pid = self._live_pid()
        if pid is not None:
            self._wait_for_bolt(pid)
            return self.status()
        java = _java.find_java(self.java_home, self.version)
        self._check_port(self.bolt_port, "C360_NEO4J_BOLT_PORT")
        self._check_port(self.http_port, "C360_NEO4J_HTTP_PORT")
        self._check_memory()
        lib = self.install()
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._write_config()
        if not self.password_file.exists():
            self._set_initial_password(java, lib)
        cmd = [
            str(java),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *_JVM_FLAGS,
            "-cp",
            f"{lib}/*",
            _install.ENTRY_POINT,
            f"--home-dir={self.root}",
            f"--config-dir={self.root / 'conf'}",
        ]
        pid = _spawn_detached(cmd, cwd=self.root, log=self.console_log)
        self.pid_file.write_text(str(pid))
        self._wait_for_bolt(pid)
        return self.status()

    def stop(self, timeout: float = 120.0) -> bool:
        """Shut down cleanly (SIGTERM lets Neo4j checkpoint); return False if it was not running."""
        pid = self._live_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            raise Neo4jServerError(
                f"Neo4j (pid {pid}) did not stop within {timeout:.0f}s and was killed; "
                "it will recover from its transaction log on the next start"
            )
        self.pid_file.unlink(missing_ok=True)
        return True

    def _live_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if _alive(pid) and _is_our_server(pid, self.root):
            return pid
        # The machine rebooted or the JVM died: the pid is stale, or now someone else's.
        self.pid_file.unlink(missing_ok=True)
        return None

    def _wait_for_bolt(self, pid: int) -> None:
        deadline = time.monotonic() + self.start_timeout
        auth = (self.user, self.password())
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jServerError("Neo4j exited during start-up:\n" + self._log_tail())
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=auth) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                raise Neo4jServerError(
                    f"Neo4j at {self.uri} rejected the password in {self.password_file}: {exc.message}"
                ) from exc
            except (ServiceUnavailable, OSError) as exc:
                last_error = exc
                time.sleep(0.5)
        raise Neo4jServerError(
            f"Neo4j did not answer on {self.uri} within {self.start_timeout:.0f}s "
            f"({last_error}); it is still starting or stuck:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 20) -> str:
        parts = []
        for log in (self.console_log, self.root / "logs" / "neo4j.log"):
            with contextlib.suppress(FileNotFoundError):
                parts.extend(log.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(parts) or "(no log output)"

    def _check_port(self, port: int, setting: str) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                raise Neo4jServerError(
                    f"port {port} on 127.0.0.1 is taken by another process; "
                    f"stop it or choose another port with {setting}"
                ) from None

    def _check_memory(self) -> None:
        need = _bytes(self.heap) + _bytes(self.pagecache) + 256 * 2**20
        available = _available_memory()
        if available is not None and available < need:
            raise Neo4jServerError(
                f"not enough free memory for Neo4j: needs ~{need // 2**20} MiB "
                f"(heap {self.heap} + page cache {self.pagecache}), {available // 2**20} MiB available; "
                "lower C360_NEO4J_HEAP / C360_NEO4J_PAGECACHE"
            )

    def _write_config(self) -> None:
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{self.http_port}",
            "server.http.advertised_address": f"127.0.0.1:{self.http_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.pagecache.size": self.pagecache,
            "server.directories.data": str(self.root / "data"),
            "server.directories.logs": str(self.root / "logs"),
            "server.directories.run": str(self.root / "run"),
            "server.directories.plugins": str(self.root / "plugins"),
            "server.directories.import": str(self.root / "import"),
            "db.tx_log.rotation.retention_policy": "2 files",
        }
        text = "# written by c360 on every start; edit the C360_* settings instead\n"
        text += "".join(f"{key}={value}\n" for key, value in settings.items())
        (self.root / "conf" / "neo4j.conf").write_text(text)

    def import_full(
        self, nodes: list[tuple[str, Path]], relationships: list[tuple[str, Path]], *, database: str = "neo4j"
    ) -> str:
        """`neo4j-admin database import full` into `database`, replacing it: Neo4j's own offline
        importer. The server must be stopped. Returns the importer's output."""
        if self._live_pid() is not None:
            raise Neo4jServerError("the managed Neo4j is running; the offline importer needs it stopped")
        java = _java.find_java(self.java_home, self.version)
        lib = self.install()
        for sub in ("conf", "data", "logs", "run"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._write_config()
        if not self.password_file.exists():
            self._set_initial_password(java, lib)
        args = [
            "database",
            "import",
            "full",
            database,  # before the options: --nodes and --relationships take any number of values
            "--overwrite-destination=true",
            "--multiline-fields=true",
            f"--report-file={self.root / 'logs' / 'import.report'}",
            *(f"--nodes={label}={path}" for label, path in nodes),
            *(f"--relationships={kind}={path}" for kind, path in relationships),
        ]
        # The importer dies with this process: an orphan still writing the store would race the
        # server a rerun starts (the rerun replaces whatever the killed import left).
        result = self._admin(java, lib, args, heap=self.heap, die_with_parent=True)
        if result.returncode != 0:
            raise Neo4jServerError("neo4j-admin database import failed:\n" + (result.stdout + result.stderr)[-3000:])
        return result.stdout

    def _admin(
        self, java: Path, lib: Path, args: list[str], heap: str | None = None, die_with_parent: bool = False
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NEO4J_HOME": str(self.root), "NEO4J_CONF": str(self.root / "conf")}
        memory = [f"-Xmx{heap}"] if heap else []
        return subprocess.run(
            [str(java), *memory, "-cp", f"{lib}/*", _install.ADMIN_TOOL, *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=_die_with_parent if die_with_parent and sys.platform == "linux" else None,
        )

    def _set_initial_password(self, java: Path, lib: Path) -> None:
        # Hex, never a leading "-": neo4j-admin would read a password like "-x..." as an option.
        password = secrets.token_hex(24)
        result = self._admin(java, lib, ["dbms", "set-initial-password", password])
        if result.returncode != 0:
            raise Neo4jServerError("neo4j-admin set-initial-password failed:\n" + result.stderr[-2000:])
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the parent dies (Linux's PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _spawn_detached(cmd: list[str], *, cwd: Path, log: Path) -> int:
    """Start `cmd` as an orphan in its own session: it outlives this process and its Ctrl-C.

    A shell backgrounds the JVM and exits at once, so no child is left for us to reap.
    """
    shell = '"$@" </dev/null >>"$0" 2>&1 & echo $!'
    result = subprocess.run(
        ["/bin/sh", "-c", shell, str(log), *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return int(result.stdout.strip())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _is_our_server(pid: int, root: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return f"--home-dir={root}".encode() in cmdline


def _bytes(size: str) -> int:
    return int(size[:-1]) * {"k": 2**10, "m": 2**20, "g": 2**30}[size[-1]]


def _available_memory() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None
