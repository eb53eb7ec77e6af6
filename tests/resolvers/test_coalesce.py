"""The coalescer on its own: which lookups share a round trip, and what each caller gets back."""

import asyncio
from typing import Any

import pytest

from resolvers.coalesce import Coalescer


class Source:
    """Rows `{key, value}` for any key; each fetch waits until the test releases it."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.fetched: list[list[str]] = []
        self.release = asyncio.Event()
        self.fail_on = fail_on

    async def fetch(self, keys: list[str]) -> list[dict[str, Any]]:
        self.fetched.append(keys)
        await self.release.wait()
        if self.fail_on in keys:
            raise ValueError(f"bad key {self.fail_on}")
        return [{"key": key, "value": key.upper()} for key in keys if key != "missing"]


def test_a_lookup_with_none_in_flight_goes_at_once_and_later_ones_go_together() -> None:
    async def scenario() -> None:
        coalescer, source = Coalescer(), Source()
        first = asyncio.create_task(coalescer.lookup("q", ["a"], source.fetch))
        await asyncio.sleep(0)
        assert source.fetched == [["a"]]
        later = [
            asyncio.create_task(coalescer.lookup("q", keys, source.fetch))
            for keys in (["b", "c"], ["c", "missing"], ["d"])
        ]
        other_kind = asyncio.create_task(coalescer.lookup("other", ["z"], source.fetch))
        await asyncio.sleep(0)
        assert source.fetched == [["a"], ["z"]]  # another kind has its own lane
        source.release.set()
        assert await first == [{"key": "a", "value": "A"}]
        results = await asyncio.gather(*later)
        assert source.fetched == [["a"], ["z"], ["b", "c", "d", "missing"]]
        assert results == [
            [{"key": "b", "value": "B"}, {"key": "c", "value": "C"}],
            [{"key": "c", "value": "C"}],
            [{"key": "d", "value": "D"}],
        ]
        assert await other_kind == [{"key": "z", "value": "Z"}]

    asyncio.run(scenario())


def test_a_failed_batch_fails_each_of_its_callers_and_the_lane_goes_on() -> None:
    async def scenario() -> None:
        coalescer, source = Coalescer(), Source(fail_on="bad")
        first = asyncio.create_task(coalescer.lookup("q", ["a"], source.fetch))
        await asyncio.sleep(0)
        waiting = [asyncio.create_task(coalescer.lookup("q", keys, source.fetch)) for keys in (["bad"], ["b"])]
        await asyncio.sleep(0)
        source.release.set()
        await first
        outcomes = await asyncio.gather(*waiting, return_exceptions=True)
        assert [type(o) for o in outcomes] == [ValueError, ValueError]
        assert await coalescer.lookup("q", ["b"], source.fetch) == [{"key": "b", "value": "B"}]

    asyncio.run(scenario())


def test_a_cancelled_caller_leaves_the_others_their_answers() -> None:
    async def scenario() -> None:
        coalescer, source = Coalescer(), Source()
        first = asyncio.create_task(coalescer.lookup("q", ["a"], source.fetch))
        await asyncio.sleep(0)
        gone = asyncio.create_task(coalescer.lookup("q", ["b"], source.fetch))
        stays = asyncio.create_task(coalescer.lookup("q", ["c"], source.fetch))
        await asyncio.sleep(0)
        gone.cancel()
        first.cancel()  # the lookup in flight is abandoned: the waiting ones still go
        source.release.set()
        assert await stays == [{"key": "c", "value": "C"}]
        with pytest.raises(asyncio.CancelledError):
            await gone
        assert source.fetched == [["a"], ["c"]]

    asyncio.run(scenario())


def test_writes_wait_for_the_one_in_flight_and_then_go_as_one() -> None:
    async def scenario() -> None:
        coalescer, written, release = Coalescer(), [], asyncio.Event()

        async def write(entries: list[str]) -> int:
            written.append(entries)
            await release.wait()
            return len(entries)

        first = asyncio.create_task(coalescer.together("audit", ["e1"], write))
        await asyncio.sleep(0)
        later = [asyncio.create_task(coalescer.together("audit", [entry], write)) for entry in ("e2", "e3")]
        await asyncio.sleep(0)
        release.set()
        assert await first == 1
        assert await asyncio.gather(*later) == [2, 2]
        assert written == [["e1"], ["e2", "e3"]]

    asyncio.run(scenario())


def test_idle_lanes_are_dropped_and_their_number_is_bounded() -> None:
    async def scenario() -> None:
        coalescer, source = Coalescer(max_lanes=2), Source()
        source.release.set()
        for i in range(100):  # distinct kinds, one after the other: nothing stays behind
            assert await coalescer.lookup(("q", f"cursor-{i}"), ["a"], source.fetch) == [{"key": "a", "value": "A"}]
        assert len(coalescer) == 0
        source.release.clear()
        in_flight = [asyncio.create_task(coalescer.lookup(("q", i), ["a"], source.fetch)) for i in range(5)]
        await asyncio.sleep(0)
        assert len(coalescer) == 2  # the other three went on their own, uncoalesced
        assert len(source.fetched) == 100 + 5
        source.release.set()
        assert all(r == [{"key": "a", "value": "A"}] for r in await asyncio.gather(*in_flight))
        assert len(coalescer) == 0

    asyncio.run(scenario())


def test_lanes_do_not_grow_with_distinct_requests_to_the_server(steward_api, api_app, world) -> None:
    from resolvers.cursors import encode as cursor
    from resolvers.ids import encode

    query = "query($id: ID!, $c: String) { profile(id: $id) { touchpoints(first: 1, after: $c) { totalCount } } }"
    profile = encode("Profile", world.survivor_pid)
    for i in range(40):  # every request names another page: another lane key
        after = cursor("t", f"2020-01-01T00:00:{i:02d}+00:00", f"web:visit-{i}")
        steward_api.data(query, id=profile, c=after)
    assert len(api_app.state.api.store.coalescer) == 0
    errors = steward_api.errors(query, id=profile, c="x" * 600)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and "cursor" in errors[0]["message"]
