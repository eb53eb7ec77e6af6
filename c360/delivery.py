"""The webhook delivery loop: one per deployment, however many processes run it.

Every `c360 serve` process (and `c360 webhooks run`) runs a Deliverer; a lease node in Neo4j
(`Lease {name: "webhooks"}`) lets one of them deliver while the others wait to take over when its
lease runs out (the holder renews it every third of its length). Delivery is at least once: an
event is acknowledged (the endpoint's cursor moves) only after the endpoint answered 2xx, so a
process killed between the two delivers it again after restart; receivers deduplicate by the
event id (header `C360-Event-Id`).
"""

import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from graph.changes import outbox, webhooks
from graph.connection import Graph

__all__ = ["Deliverer", "DeliveryOptions"]

log = logging.getLogger("c360.webhooks")
# httpx logs every request at INFO: one line per delivery would flood the server log (failures are
# logged here, with the endpoint and event).
logging.getLogger("httpx").setLevel(logging.WARNING)

LEASE = "webhooks"
PAGE = 100
ACK_SECONDS = 0.25
"""While sending a page, an endpoint's cursor is written at least this often (and at its end)."""
PRUNE_SECONDS = 3600.0
"""How often the lease holder applies the outbox's retention."""
FULL_PASS_SECONDS = 1.0
"""Retries and replays are looked at this often even when no new event arrived."""


@dataclass(frozen=True)
class DeliveryOptions:
    allow_private: bool = False
    max_attempts: int = 8
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 600.0
    timeout_seconds: float = 10.0
    lease_seconds: float = 15.0
    poll_seconds: float = 0.05
    retention_days: int = 30
    """The lease holder prunes older events from the outbox (`C360_CHANGES_RETENTION_DAYS`)."""


class Deliverer:
    def __init__(self, graph: Graph, options: DeliveryOptions, holder: str | None = None) -> None:
        self._graph = graph
        self._options = options
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._client = httpx.Client(timeout=options.timeout_seconds, follow_redirects=False)
        self._lease_until = 0.0
        self._last_head = -1
        self._last_full = 0.0
        self._next_prune = 0.0

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; errors (Neo4j away, a bad endpoint) are logged and retried."""
        try:
            while not stop.is_set():
                try:
                    if not self.lease():
                        stop.wait(self._options.lease_seconds / 3)
                        continue
                    if not self.step():
                        stop.wait(self._options.poll_seconds)
                except Exception:
                    log.exception("webhook delivery failed; retrying")
                    stop.wait(1.0)
        finally:
            self.close()

    def close(self) -> None:
        try:
            if self._lease_until > time.monotonic():
                self._graph.write("lease_release", lease=LEASE, holder=self.holder)
        except Exception:  # a lease not released runs out by itself
            log.warning("could not release the webhook lease", exc_info=True)
        self._lease_until = 0.0
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

    def step(self) -> bool:
        """One pass when there is something new (or a retry may be due); True if it sent anything."""
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_SECONDS
            # One process per deployment (the lease holder) applies retention, in the background.
            pruned = outbox.prune(self._graph, self._options.retention_days)
            if pruned:
                log.info("pruned %d change events older than %d days", pruned, self._options.retention_days)
        head = outbox.head(self._graph)
        now = time.monotonic()
        if head == self._last_head and now - self._last_full < FULL_PASS_SECONDS:
            return False
        self._last_full = now
        sent = self._replays()
        for endpoint in self._graph.read("webhook_targets"):
            if not self.lease():
                return sent
            sent = self._endpoint(endpoint) or sent
        self._last_head = head
        return sent

    def _endpoint(self, endpoint: dict[str, Any]) -> bool:
        due = endpoint["next_at"]
        if due is not None and due.to_native() > datetime.now(UTC):
            return False
        types = set(endpoint["types"] or [])
        sent = False
        cursor = acked = endpoint["cursor"]
        last_ack = time.monotonic()
        for event in outbox.page(self._graph, cursor, PAGE):
            if not self.lease():
                break  # another process delivers now; it starts from the last acknowledgement
            if types and event["type"] not in types:
                cursor = event["position"]
                continue
            error = self._send(endpoint["url"], endpoint["secret"], event)
            sent = True
            if error is not None:
                if cursor != acked:  # what was delivered before the failure stays delivered
                    self._ack(endpoint, cursor)
                self._failed(endpoint, event, error)
                return sent
            cursor = event["position"]
            # Acknowledged in groups, not one write per event: a crash in between only sends the
            # unacknowledged tail again (at least once), and a busy feed is not held to Neo4j's
            # write latency per event.
            if time.monotonic() - last_ack >= ACK_SECONDS:
                acked, last_ack = self._ack(endpoint, cursor), time.monotonic()
        if cursor != acked:
            self._ack(endpoint, cursor)
        return sent

    def _ack(self, endpoint: dict[str, Any], position: int) -> int:
        self._graph.write("webhook_ack", id=endpoint["id"], position=position)
        endpoint["cursor"], endpoint["attempts"] = position, 0
        return position

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
            return
        # Exponential backoff with jitter: retries of many endpoints do not arrive together.
        delay = min(self._options.backoff_max_seconds, self._options.backoff_seconds * 2 ** (attempts - 1))
        delay *= random.uniform(0.5, 1.0)
        self._graph.write(
            "webhook_fail",
            id=endpoint["id"],
            attempts=attempts,
            next_at=datetime.now(UTC) + timedelta(seconds=delay),
            error=error,
        )

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
        """Post one event; None when the endpoint answered 2xx, else what went wrong."""
        try:
            # Checked at every delivery, not only at registration: DNS may have changed since.
            webhooks.check_url(url, allow_private=self._options.allow_private)
        except webhooks.WebhookError as exc:
            return str(exc)
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
