"""The webhook delivery loop: one per deployment, however many processes run it.

Every `c360 serve` process (and `c360 webhooks run`) runs a Deliverer; a lease node in Neo4j
(`Lease {name: "webhooks"}`) lets one of them deliver while the others wait to take over when its
lease runs out (the holder renews it every third of its length). Delivery is at least once: an
event is acknowledged (the endpoint's cursor moves) only after the endpoint answered 2xx, so a
process killed between the two delivers it again after restart; receivers deduplicate by the
event id (header `C360-Event-Id`).

Latency: the loop sleeps on graph/changes/bell, which a commit of outbox events in this process
rings, and otherwise polls the outbox head every `poll_seconds` (events committed by other
processes). The holder keeps the endpoints and their cursors in memory (read again every
`FULL_PASS_SECONDS`, when it may also find new endpoints and replays) and writes cursors in
groups, so a new event costs one page read and one POST on a kept-alive connection.
"""

import logging
import os
import random
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from c360 import lanes, pinned
from graph.changes import bell, outbox, webhooks
from graph.connection import Graph
from graph.values import native

__all__ = ["Deliverer", "DeliveryOptions"]

log = logging.getLogger("c360.webhooks")
# httpx logs every request at INFO: one line per delivery would flood the server log (failures are
# logged here, with the endpoint and event).
logging.getLogger("httpx").setLevel(logging.WARNING)

LEASE = "webhooks"
PAGE = 100
ACK_SECONDS = 0.25
"""Delivered positions are written at most this often (and before a failure, a lost lease, a stop)."""
PRUNE_SECONDS = 3600.0
"""How often the lease holder applies the outbox's retention."""
FULL_PASS_SECONDS = 1.0
"""Endpoints (new, deleted), retries and replays are looked at this often."""


@dataclass(frozen=True)
class DeliveryOptions:
    allow_private: bool = False
    max_attempts: int = 8
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 600.0
    timeout_seconds: float = 10.0
    lease_seconds: float = 15.0
    poll_seconds: float = 0.05
    concurrency: int = 8
    """Deliveries in flight at once to one endpoint, for events about different profiles."""
    retention_days: int = 30
    """The lease holder prunes older events from the outbox (`C360_CHANGES_RETENTION_DAYS`)."""


class Deliverer:
    def __init__(self, graph: Graph, options: DeliveryOptions, holder: str | None = None) -> None:
        self._graph = graph
        self._options = options
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._client = pinned.client(
            allow_private=options.allow_private, timeout=options.timeout_seconds, connections=options.concurrency
        )
        self._pool = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="c360-webhook")
        self._lease_until = 0.0
        self._endpoints: dict[str, dict[str, Any]] = {}
        """While the lease is held: each endpoint with its cursor as delivered (ahead of Neo4j's
        until the next acknowledgement) and its attempts."""
        self._unacked: dict[str, int] = {}
        self._last_ack = 0.0
        self._last_head = -1
        self._last_full = 0.0
        self._next_prune = 0.0

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; errors (Neo4j away, a bad endpoint) are logged and retried."""
        try:
            rang = True
            while not stop.is_set():
                try:
                    if not self.lease():
                        self._forget()
                        stop.wait(self._options.lease_seconds / 3)
                        continue
                    seen = bell.rung()  # before reading: a commit from now on wakes the wait below
                    if self.step(rang):
                        continue  # a full page: there is more
                    if time.monotonic() - self._last_ack >= ACK_SECONDS:
                        self._flush()
                    # Not past the lease's renewal, however long the poll interval.
                    now = bell.wait(seen, min(self._options.poll_seconds, self._options.lease_seconds / 3))
                    rang = now != seen
                except Exception:
                    log.exception("webhook delivery failed; retrying")
                    self._forget()
                    stop.wait(1.0)
        finally:
            self.close()

    def close(self) -> None:
        try:
            self._flush()
        except Exception:  # not acknowledged: sent again by whoever delivers next (at least once)
            log.warning("could not write webhook cursors", exc_info=True)
        try:
            if self._lease_until > time.monotonic():
                self._graph.write("lease_release", lease=LEASE, holder=self.holder)
        except Exception:  # a lease not released runs out by itself
            log.warning("could not release the webhook lease", exc_info=True)
        self._lease_until = 0.0
        self._pool.shutdown(wait=True)
        self._client.close()

    def lease(self) -> bool:
        """Hold (or renew) the deployment's delivery lease; False while another process holds it."""
        now = time.monotonic()
        if self._lease_until - now > self._options.lease_seconds * 2 / 3:
            return True
        wall = datetime.now(UTC)
        row = self._graph.write(
            "lease_acquire",
            lease=LEASE,
            holder=self.holder,
            now=wall,
            until=wall + timedelta(seconds=self._options.lease_seconds),
        )[0]
        held: bool = row["holder"] == self.holder
        self._lease_until = now + self._options.lease_seconds if held else 0.0
        return held

    def step(self, rang: bool = True) -> bool:
        """One pass: new events for every endpoint (when the bell `rang`, or the head moved, or a
        full pass is due). True when a page was full, so more is waiting."""
        now = time.monotonic()
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_SECONDS
            # One process per deployment (the lease holder) applies retention, in the background.
            pruned = outbox.prune(self._graph, self._options.retention_days)
            if pruned:
                log.info("pruned %d change events older than %d days", pruned, self._options.retention_days)
        if now - self._last_full >= FULL_PASS_SECONDS:
            self._last_full = now
            self._refresh()
            self._replays()
        elif not rang:
            head = outbox.head(self._graph)
            if head == self._last_head:
                return False
            self._last_head = head
        more = False
        for endpoint in list(self._endpoints.values()):
            if not self.lease():
                break
            more = self._endpoint(endpoint) or more
        return more

    def _refresh(self) -> None:
        """Endpoints as stored, with the cursors and attempts this holder knows better."""
        fresh: dict[str, dict[str, Any]] = {}
        for row in self._graph.read("webhook_targets"):
            known = self._endpoints.get(row["id"])
            if known is not None:
                row["cursor"] = max(row["cursor"], known["cursor"])
                row["attempts"], row["next_at"] = known["attempts"], known["next_at"]
            fresh[row["id"]] = row
        self._endpoints = fresh
        self._unacked = {key: value for key, value in self._unacked.items() if key in fresh}

    def _forget(self) -> None:
        """Lease lost (or an error): write what was delivered and read everything again next time."""
        try:
            self._flush()
        except Exception:  # not acknowledged: sent again later (at least once)
            log.warning("could not write webhook cursors", exc_info=True)
        self._endpoints, self._unacked, self._last_full = {}, {}, 0.0

    def _endpoint(self, endpoint: dict[str, Any]) -> bool:
        due = endpoint["next_at"]
        if due is not None and native(due) > datetime.now(UTC):
            return False  # backing off
        types = set(endpoint["types"] or [])
        events = outbox.page(self._graph, endpoint["cursor"], PAGE)
        wanted = [event for event in events if not types or event["type"] in types]
        failure = lanes.deliver(
            wanted, lambda event: self._send(endpoint["url"], endpoint["secret"], event), self._pool
        )
        if failure is not None:
            event, error = failure
            # Everything before it was delivered (or not for this endpoint); later events that
            # other groups delivered are sent again after it (at least once, in order per profile).
            self._delivered(endpoint, event["position"] - 1)
            self._flush()
            self._failed(endpoint, event, error)
            return False
        if events:
            self._delivered(endpoint, events[-1]["position"])
        return len(events) == PAGE

    def _delivered(self, endpoint: dict[str, Any], position: int) -> None:
        if position != endpoint["cursor"]:
            endpoint["cursor"], endpoint["attempts"], endpoint["next_at"] = position, 0, None
            self._unacked[endpoint["id"]] = position

    def _flush(self) -> None:
        """Write the delivered cursors: acknowledged in groups, not one write per event, so a busy
        feed is not held to Neo4j's write latency; a crash in between only sends the
        unacknowledged tail again (at least once)."""
        self._last_ack = time.monotonic()
        while self._unacked:
            endpoint, position = next(iter(self._unacked.items()))
            self._graph.write("webhook_ack", id=endpoint, position=position)
            if self._unacked.get(endpoint) == position:
                del self._unacked[endpoint]

    def _failed(self, endpoint: dict[str, Any], event: dict[str, Any], error: str) -> None:
        attempts = endpoint["attempts"] + 1
        log.warning("webhook %s: event %s failed (attempt %d): %s", endpoint["id"], event["id"], attempts, error)
        if attempts >= self._options.max_attempts:
            self._graph.write(
                "webhook_dead_letter",
                endpoint=endpoint["id"],
                id=uuid.uuid4().hex,
                event_id=event["id"],
                position=event["position"],
                type=event["type"],
                attempts=attempts,
                error=error,
                now=datetime.now(UTC),
            )
            endpoint["cursor"], endpoint["attempts"], endpoint["next_at"] = event["position"], 0, None
            return
        # Exponential backoff with jitter: retries of many endpoints do not arrive together.
        delay = min(self._options.backoff_max_seconds, self._options.backoff_seconds * 2 ** (attempts - 1))
        delay *= random.uniform(0.5, 1.0)
        due = datetime.now(UTC) + timedelta(seconds=delay)
        self._graph.write("webhook_fail", id=endpoint["id"], attempts=attempts, next_at=due, error=error)
        endpoint["attempts"], endpoint["next_at"] = attempts, due

    def _replays(self) -> bool:
        rows = self._graph.read("webhook_replays_due", first=PAGE)
        for row in rows:
            if row["event_id"] is None:
                error: str | None = "the event was pruned from the outbox (C360_CHANGES_RETENTION_DAYS)"
            else:
                error = self._send(row["url"], row["secret"], row)
            if error is None:
                self._graph.write("webhook_replay_done", id=row["id"])
            else:
                self._graph.write("webhook_replay_failed", id=row["id"], error=error, now=datetime.now(UTC))
        return bool(rows)

    def _send(self, url: str, secret: str, event: dict[str, Any]) -> str | None:
        """Post one event; None when the endpoint answered 2xx, else what went wrong. The target
        is checked again at every new connection (c360/pinned.py), not only at registration."""
        payload = webhooks.body(event)
        headers = {
            "content-type": "application/json",
            "user-agent": "c360-webhooks",
            "c360-event-id": event["id"],
            "c360-event-type": event["type"],
            webhooks.SIGNATURE_HEADER: webhooks.sign(secret, payload, int(time.time())),
        }
        try:
            response = self._client.post(url, content=payload, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"
