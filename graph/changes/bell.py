"""Rung when a transaction that numbered outbox events has committed in this process.

The webhook delivery loop waits on it instead of sleeping a poll interval, so an event written
by this process is sent as soon as it is committed. Other processes' events are still found by
polling the outbox head (a bell cannot ring across processes); `Graph` rings it after the
commit of any transaction that ran `changes_number`.
"""

import threading

__all__ = ["NUMBERING", "ring", "rung", "wait"]

NUMBERING = "changes_number"
"""The statement whose commit rings the bell (graph/changes/outbox.py's `number_step`)."""

_condition = threading.Condition()
_count = 0


def ring() -> None:
    global _count
    with _condition:
        _count += 1
        _condition.notify_all()


def rung() -> int:
    """How often it has rung so far: pass it to `wait` to miss no ring in between."""
    return _count


def wait(seen: int, timeout: float) -> int:
    """Until it rings after `seen` rings (or `timeout` seconds); returns the new count."""
    with _condition:
        _condition.wait_for(lambda: _count != seen, timeout)
        return _count
