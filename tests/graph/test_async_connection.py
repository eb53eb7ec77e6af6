"""AsyncGraph against the real test server, and through a proxy that breaks connections."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j.exceptions import ClientError

from c360.runtime import connect_async, target
from c360.settings import Settings
from graph.async_connection import AsyncGraph
from graph.connection import Graph


class BreakingProxy:
    """Forwards TCP to Neo4j; when armed, the next request on any connection kills it instead."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.armed = False
        self.broken = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> "BreakingProxy":
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self.upstream)

        async def pump(r: asyncio.StreamReader, w: asyncio.StreamWriter, upward: bool) -> None:
            try:
                while data := await r.read(65536):
                    if upward and self.armed:
                        self.armed = False
                        self.broken += 1
                        break
                    w.write(data)
                    await w.drain()
            except ConnectionError:
                pass
            finally:
                client_w.close()
                server_w.close()

        await asyncio.gather(pump(client_r, server_w, True), pump(server_r, client_w, False))


def run(test: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(test())


def test_reads_and_writes_are_counted_by_statement(settings: Settings, graph: Graph) -> None:
    async def scenario() -> None:
        async_graph = await connect_async(settings)
        try:
            assert await async_graph.read("is_empty") == [{"empty": True}]
            await async_graph.write(
                "api_key_create",
                id="k1",
                hash="h",
                role="app",
                label=None,
                now=datetime.now(UTC),
                scopes=None,
                mappings=None,
            )
            assert async_graph.round_trips == 2
            assert async_graph.statements == {"is_empty": 1, "api_key_create": 1}
        finally:
            await async_graph.close()

    run(scenario)
    assert [row["role"] for row in graph.read("api_key_by_id", id="k1")] == ["app"]


def test_a_read_cut_off_mid_request_is_retried_on_a_new_connection(settings: Settings, graph: Graph) -> None:
    uri, auth = target(settings)
    host, port = uri.rsplit("//", 1)[1].rsplit(":", 1)

    async def scenario() -> None:
        async with BreakingProxy(host, int(port)) as proxy:
            async_graph = await AsyncGraph.connect(
                f"bolt://127.0.0.1:{proxy.port}", auth, settings.neo4j_database, timeout=30.0
            )
            try:
                proxy.armed = True
                assert await async_graph.read("is_empty") == [{"empty": True}]
                assert proxy.broken == 1
                assert async_graph.round_trips == 1
            finally:
                await async_graph.close()

    run(scenario)


def test_a_caller_error_is_raised_at_once_not_retried(settings: Settings, graph: Graph) -> None:
    async def scenario() -> None:
        async_graph = await connect_async(settings)
        try:
            with pytest.raises(ClientError, match="(?i)parameter"):
                await async_graph.read("api_key_by_id")  # $id missing
        finally:
            await async_graph.close()

    run(scenario)


def test_one_causal_chain_for_the_blocking_and_the_async_graph(graph: Graph, settings: Settings) -> None:
    """Read your own writes on a cluster: every session of the process's graphs carries the
    bookmarks of the transactions before it (on this one server, that can only be checked by
    watching the shared chain advance)."""
    chain = graph.bookmarks
    assert chain is not None
    graph.write("identity_lock", now=datetime.now(UTC))
    after_write = set(chain.get_bookmarks())
    assert after_write  # the write's commit is in the chain
    graph.atomic(lambda tx: tx.write("identity_lock", now=datetime.now(UTC)), name="test")
    after_atomic = set(chain.get_bookmarks())
    assert after_atomic and after_atomic != after_write  # transactions handed a TxGraph too

    async def read() -> None:
        async_graph = await connect_async(settings, chain)
        try:
            assert async_graph.bookmarks is chain
            assert (await async_graph.read("api_ping"))[0]
            await async_graph.write("identity_lock", now=datetime.now(UTC))
        finally:
            await async_graph.close()

    asyncio.run(read())
    assert set(chain.get_bookmarks()) not in (set(), after_atomic)  # the async graph's write joined it
