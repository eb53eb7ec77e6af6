"""Dataloaders: every relationship field loads through one `UNWIND $ids` catalog query per batch.

A page of 50 profiles asking for records, households and touchpoints costs one query per field,
not one per profile. Loaders whose field takes arguments (touchpoint filters, depth) batch the
keys that share arguments. Lookups by key go through `Store.lookup`, which lets concurrent
requests share round trips (resolvers/coalesce.py).
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial
from typing import Any

from strawberry.dataloader import DataLoader

from graph.privacy import consent
from resolvers.store import Row, Store

__all__ = ["Loaders", "RelatedKey", "TouchpointKey"]

# Touchpoints without a time sort after all others: this stands in for their time.
FLOOR = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class TouchpointKey:
    pid: str
    limit: int
    after: tuple[datetime, str] | None
    channel: str | None
    since: datetime | None
    until: datetime | None


@dataclass(frozen=True)
class RelatedKey:
    pid: str
    depth: int
    types: frozenset[str]
    household: bool


MAX_RELATED = 200
"""Profiles one relatedProfiles call returns at most: a hub (a shared office device) stays cheap."""


class Loaders:
    def __init__(self, store: Store, *, see_restricted: bool) -> None:
        self._store = store
        self._see_restricted = see_restricted

    def _keyed(
        self,
        query: str,
        param: str,
        field: str | None,
        default: Callable[[], Any] = lambda: None,
    ) -> DataLoader[str, Any]:
        """A loader over `query`, whose rows carry `key` and the value in `field` (or the row)."""

        async def load(keys: list[str]) -> list[Any]:
            rows = await self._store.lookup(query, param, keys)
            found = {row["key"]: (row[field] if field else row) for row in rows}
            return [found[k] if k in found else default() for k in keys]

        return DataLoader(load)

    @cached_property
    def profile(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_profiles_by_pid", "pids", "profile")

    @cached_property
    def records(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_records", "pids", "records", list)

    @cached_property
    def record(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_records_by_uid", "uids", "record")

    @cached_property
    def identifiers(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_identifiers", "pids", "identifiers", list)

    @cached_property
    def identifier(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_identifiers_by_key", "keys", "identifier")

    @cached_property
    def devices(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_devices", "pids", "devices", list)

    @cached_property
    def accounts(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_accounts", "pids", "holdings", list)

    @cached_property
    def memberships(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_organizations", "pids", "memberships", list)

    @cached_property
    def household_of(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_profile_households", "pids", "household")

    @cached_property
    def events(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_profile_events", "pids", "events", list)

    @cached_property
    def household(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_households_by_hid", "hids", "household")

    @cached_property
    def household_shared(self) -> DataLoader[str, Row]:
        return self._keyed("api_household_shared", "hids", None, lambda: {"accounts": [], "devices": []})

    @cached_property
    def organization(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_organizations_by_uid", "uids", "organization")

    @cached_property
    def people(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_organization_people", "uids", "memberships", list)

    @cached_property
    def organization_accounts(self) -> DataLoader[str, list[Row]]:
        return self._keyed("api_organization_accounts", "uids", "holdings", list)

    @cached_property
    def account(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_account_holders", "uids", None)

    @cached_property
    def device(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_device_users", "uids", None)

    @cached_property
    def consents(self) -> DataLoader[str, list[consent.Statement]]:
        """The statements in force, chosen by the privacy engine (latest per purpose and channel)."""

        async def load(pids: list[str]) -> list[list[consent.Statement]]:
            found = await self._store.call(
                "consent.for_profiles", partial(consent.for_profiles, self._store.graph, pids)
            )
            return [found.get(pid, []) for pid in pids]

        return DataLoader(load)

    @cached_property
    def touchpoint(self) -> DataLoader[str, Row | None]:
        return self._keyed("api_touchpoints_by_uid", "uids", "touchpoint")

    @cached_property
    def subsidiaries(self) -> DataLoader[tuple[str, int], list[Row]]:
        async def load(uids: list[str], key: tuple[str, int]) -> list[list[Row]]:
            rows = await self._store.read("api_organization_subsidiaries", uids=uids, depth=key[1])
            found = {row["key"]: row["subsidiaries"] for row in rows}
            return [found.get(uid, []) for uid in uids]

        return DataLoader(_grouped(lambda key: key[0], lambda key: key[1], load))

    @cached_property
    def touchpoints(self) -> DataLoader[TouchpointKey, Row]:
        async def load(pids: list[str], key: TouchpointKey) -> list[Row]:
            after_at, after_uid = key.after or (None, None)
            rows = await self._store.lookup(
                "api_profile_touchpoints",
                "pids",
                pids,
                limit=key.limit + 1,
                channel=key.channel,
                since=key.since,
                until=key.until,
                after_at=after_at,
                after_uid=after_uid,
                floor=FLOOR,
            )
            found = {row["key"]: row for row in rows}
            return [found.get(pid, {"total": 0, "touchpoints": []}) for pid in pids]

        def args(key: TouchpointKey) -> Hashable:
            return (key.limit, key.after, key.channel, key.since, key.until)

        return DataLoader(_grouped(lambda key: key.pid, args, lambda pids, key: load(pids, key)))

    @cached_property
    def related(self) -> DataLoader[RelatedKey, list[Row]]:
        return DataLoader(
            _grouped(lambda key: key.pid, lambda key: (key.depth, key.types, key.household), self._related)
        )

    async def _related(self, pids: list[str], key: RelatedKey) -> list[list[Row]]:
        """Breadth-first over profiles, one query per level for all origins at once."""
        seen = {pid: {pid} for pid in pids}
        frontier = {pid: {pid} for pid in pids}
        found: dict[str, list[Row]] = {pid: [] for pid in pids}
        for depth in range(1, key.depth + 1):
            wanted = sorted(set().union(*frontier.values()))
            if not wanted:
                break
            rows = await self._store.read(
                "api_related_profiles",
                pids=wanted,
                types=sorted(key.types),
                household=key.household,
                see_restricted=self._see_restricted,
            )
            step: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                step[row["key"]].append(row)
            for origin in pids:
                reached: set[str] = set()
                for pid in frontier[origin]:
                    for row in step.get(pid, ()):
                        related = row["related"]
                        if related in seen[origin] or len(found[origin]) >= MAX_RELATED:
                            continue
                        seen[origin].add(related)
                        reached.add(related)
                        found[origin].append({"pid": related, "depth": depth, "via": row["via"]})
                frontier[origin] = reached
        return [found[pid] for pid in pids]


def _grouped(
    item: Callable[[Any], str], args: Callable[[Any], Hashable], load: Callable[[list[str], Any], Awaitable[list[Any]]]
) -> Callable[[list[Any]], Awaitable[list[Any]]]:
    """A batch function for keys of (item, arguments): one load per distinct arguments."""

    async def batch(keys: list[Any]) -> list[Any]:
        groups: dict[Hashable, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            groups[args(key)].append(index)
        results: list[Any] = [None] * len(keys)

        async def run(indexes: list[int]) -> None:
            first = keys[indexes[0]]
            values = await load([item(keys[i]) for i in indexes], first)
            for i, value in zip(indexes, values, strict=True):
                results[i] = value

        await asyncio.gather(*(run(indexes) for indexes in groups.values()))
        return results

    return batch
