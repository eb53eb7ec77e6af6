"""A real webhook receiver on 127.0.0.1: checks signatures, can fail on purpose, and notes when
each event arrived. The webhook tests and bench/changes.py both use it.

It speaks HTTP/1.1 with keep-alive, as a production receiver would, so the delivery loop's
connection reuse is exercised (and measured) too.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from graph.changes import webhooks

__all__ = ["Receiver"]


class Receiver:
    def __init__(self, secret: str = "", fail_first: int = 0, always_fail: bool = False, delay: float = 0) -> None:
        self.secret = secret
        self.delay = delay
        self.fail_first = fail_first
        self.always_fail = always_fail
        self.attempts: list[tuple[float, str]] = []  # (time, event id) of every request
        self.accepted: list[dict[str, Any]] = []
        self.arrived: dict[str, float] = {}  # event id -> time.perf_counter() of its first acceptance
        self.bad_signatures = 0
        self.connections = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with receiver._lock:
                    receiver.connections += 1

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                payload = self.rfile.read(int(self.headers["content-length"]))
                status = receiver.handle(payload, self.headers.get(webhooks.SIGNATURE_HEADER, ""), self.headers)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def handle(self, payload: bytes, signature: str, headers: Any) -> int:
        time.sleep(self.delay)  # a slow receiver: deliveries are in flight when a test kills the sender
        arrived = time.perf_counter()
        with self._lock:
            event = json.loads(payload)
            self.attempts.append((time.monotonic(), event["id"]))
            assert headers["c360-event-id"] == event["id"]
            if not webhooks.verify(self.secret, payload, signature, int(time.time())):
                self.bad_signatures += 1
                return 400
            if self.always_fail or len(self.attempts) <= self.fail_first:
                return 503
            self.accepted.append(event)
            self.arrived.setdefault(event["id"], arrived)
            return 204

    def wait(self, count: int, timeout: float = 60, *, unique: bool = False) -> list[dict[str, Any]]:
        """The accepted events once there are `count` of them (`unique`: distinct event ids)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len({e["id"] for e in self.accepted} if unique else self.accepted) >= count:
                    return list(self.accepted)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.accepted)} of {count} events arrived: {self.accepted}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
