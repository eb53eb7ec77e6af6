"""`c360 serve --workers N`: N server processes on one port, supervised.

Each worker binds its own socket with SO_REUSEPORT, so the kernel spreads new connections over
the workers. uvicorn's own `--workers` shares one listening socket, and whichever worker is awake
accepts the whole burst: measured here, 25 and 7 of a client's 32 keep-alive connections, so
one worker queued while the other idled and p99 latency doubled.

The supervisor starts the managed Neo4j (once, before any worker), restarts a worker that dies,
and stops everything on SIGINT/SIGTERM: workers get the graceful-shutdown window, then are killed.
A worker that dies before it is ready is taken as a configuration problem (port taken, Neo4j
unreachable): restarting would fail the same way, so the supervisor stops instead.
"""

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

from c360.runtime import target
from c360.server import serve_on
from c360.settings import Settings

__all__ = ["METRICS_ENV", "serve_workers"]

log = logging.getLogger("c360.workers")

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
"""Where prometheus_client's multiprocess mode keeps each worker's metric values."""
POLL_SECONDS = 0.5


def serve_workers(settings: Settings, host: str, port: int, workers: int, *, grace: float) -> int:
    """Serve with `workers` processes until SIGINT/SIGTERM; returns the exit status."""
    target(settings, start=True)
    shared = Path(tempfile.mkdtemp(prefix="c360-metrics-"))
    # The workers inherit it: prometheus_client reads it when a worker imports it.
    os.environ[METRICS_ENV] = str(shared)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    context = multiprocessing.get_context("spawn")

    def start() -> tuple[BaseProcess, EventType]:
        ready = context.Event()
        process = context.Process(
            target=_worker, name="c360-worker", args=(settings, host, port, shared, ready, os.getpid())
        )
        process.start()
        return process, ready

    running = [start() for _ in range(workers)]
    log.info(
        "serving on http://%s:%d with %d workers (pids %s)",
        host,
        port,
        workers,
        ", ".join(str(p.pid) for p, _ in running),
    )
    status = 0
    try:
        while not stop.wait(POLL_SECONDS):
            for i, (process, ready) in enumerate(running):
                if process.is_alive():
                    continue
                if not ready.is_set():
                    log.error("worker %s exited with %s while starting; stopping", process.pid, process.exitcode)
                    status = 1
                    stop.set()
                    break
                log.warning("worker %s exited with %s; starting another", process.pid, process.exitcode)
                running[i] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)  # type: ignore[arg-type]
        deadline = time.monotonic() + grace + 5
        for process, _ in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        del os.environ[METRICS_ENV]
        shutil.rmtree(shared, ignore_errors=True)
    return status


def _exit_with_parent(parent: int) -> None:
    """A supervisor killed outright (SIGKILL) cannot stop its workers: they would keep serving
    the port, unsupervised and sharing it with any new server. So they watch for it."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker(settings: Settings, host: str, port: int, shared: Path, ready: EventType, supervisor: int) -> None:
    threading.Thread(target=_exit_with_parent, args=(supervisor,), daemon=True).start()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    serve_on(settings, host, port, sockets=[sock], metrics_dir=shared, ready=ready)
