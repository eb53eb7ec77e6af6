"""The change feed as the API serves it: pages by position, and one head watcher per process.

Subscriptions wait on the watcher, not on Neo4j: it reads the outbox's head position every
`changes_poll_seconds` while anyone waits and wakes them all when it moves; each subscription
then reads its own page. Positions are committed in order (graph/changes/outbox.py), so reading
after the last position seen never skips an event, on any worker process.
"""

import asyncio
import json
from typing import Any

from resolvers import ids
from resolvers.errors import BadInput
from resolvers.store import Row, Store

__all__ = ["HeadWatcher", "decode_cursor", "public", "read_page"]

MAX_PAGE = 500

# Keys of an event's data that hold ids, and the API type whose global id they become.
_ID_KEYS = {"surviving": "Profile", "retired": "Profile", "origin": "Profile", "new": "Profile"}
_ID_KEYS |= {"household_id": "Household", "previous": "Household"}
_ID_KEYS |= {"organization": "Organization", "touchpoint": "Touchpoint"}


def decode_cursor(after: str | None) -> int:
    if after is None or after == "":
        return 0
    if not after.isdigit() or len(after) > 18:
        raise BadInput(f"invalid cursor {after[:32]!r}: a position from an earlier event")
    return int(after)


def _global(key: str, value: Any) -> Any:
    kind = _ID_KEYS.get(key)
    if kind is None or value is None:
        return value
    if isinstance(value, list):
        return [ids.encode(kind, v) for v in value]
    return ids.encode(kind, value)


def public(row: Row, *, masked: bool) -> dict[str, Any]:
    """An event for the API: global ids; callers with masked access get ids and types only."""
    data = json.loads(row["data"] or "{}")
    return {
        "id": row["id"],
        "position": row["position"],
        "type": row["type"],
        "at": row["at"],
        "profile_id": ids.encode("Profile", row["profile_id"]),
        "profile_ids": [ids.encode("Profile", pid) for pid in row["profile_ids"]],
        "fields": None if masked else row["fields"],
        "data": None if masked else {key: _global(key, value) for key, value in data.items()},
    }


async def read_page(
    store: Store, after: int, first: int, types: list[str] | None, pid: str | None, *, masked: bool
) -> list[Row]:
    if not 1 <= first <= MAX_PAGE:
        raise BadInput(f"first must be between 1 and {MAX_PAGE}")
    return await store.read(
        "changes_after", after=after, first=first, types=types or None, pid=pid, hide_restricted=masked
    )


class HeadWatcher:
    """The outbox's head position, polled while someone waits for it to move."""

    def __init__(self, store: Store, poll_seconds: float) -> None:
        self._store = store
        self._poll = poll_seconds
        self._head = -1
        self._moved = asyncio.Event()
        self._waiting = 0
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def head(self) -> int:
        rows = await self._store.read("changes_head")
        position: int = rows[0]["position"]
        return position

    async def wait_beyond(self, position: int, timeout: float) -> int:
        """The head once it is past `position` (or whatever it is after `timeout` seconds)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="c360-change-feed")
        self._waiting += 1
        self._wanted.set()
        try:
            async with asyncio.timeout(timeout):
                while self._head <= position:
                    await self._moved.wait()
        except TimeoutError:
            pass
        finally:
            self._waiting -= 1
        return self._head

    async def _run(self) -> None:
        while True:
            if not self._waiting:
                self._wanted.clear()
                await self._wanted.wait()
            try:
                head = await self.head()
            except Exception:  # Neo4j away for a moment: waiters time out and read again
                await asyncio.sleep(1.0)
                continue
            if head != self._head:
                self._head = head
                moved, self._moved = self._moved, asyncio.Event()
                moved.set()
            await asyncio.sleep(self._poll)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
