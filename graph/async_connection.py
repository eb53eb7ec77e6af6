"""The async twin of `Graph`, for code on an event loop (the API): catalog queries, parameters only.

The API's reads are single statements, so they run as auto-commit queries rather than managed
transactions: a managed transaction adds BEGIN and COMMIT messages, which cost ~40% more driver
CPU per read (measured in bench/api.py's setting). They retry like managed transactions do:
on errors the driver calls retryable, with jittered exponential backoff, for a bounded time.
"""

import asyncio
import random
import time
from typing import Any, LiteralString

import neo4j
from neo4j import AsyncManagedTransaction, Query
from neo4j.api import BookmarkManager
from neo4j.exceptions import DriverError, Neo4jError

import queries
from graph.connection import Ledger, Rows, metadata

__all__ = ["AsyncGraph"]

RETRY_SECONDS = 10.0
"""How long a read keeps retrying transient failures (a leader switch, a dropped connection):
an API caller waits for the answer, so shorter than the driver's 30 s for batch work."""
FIRST_DELAY = 0.1


class AsyncGraph(Ledger):
    def __init__(
        self,
        driver: neo4j.AsyncDriver,
        database: str,
        timeout: float,
        bookmarks: BookmarkManager | None = None,
    ) -> None:
        super().__init__()
        self._driver = driver
        self._database = database
        self._timeout = timeout
        self._bookmarks = bookmarks

    @classmethod
    async def connect(
        cls,
        uri: str,
        auth: tuple[str, str],
        database: str,
        timeout: float,
        bookmarks: BookmarkManager | None = None,
    ) -> "AsyncGraph":
        """`bookmarks`: the blocking graph's chain (`Graph.bookmarks`), so the API's reads see
        the writes its engine made; None starts a chain of its own."""
        driver = neo4j.AsyncGraphDatabase.driver(
            uri, auth=auth, max_connection_pool_size=64, notifications_min_severity="OFF"
        )
        try:
            await driver.verify_connectivity()
        except BaseException:
            await driver.close()
            raise
        return cls(driver, database, timeout, bookmarks or neo4j.GraphDatabase.bookmark_manager())

    @property
    def driver(self) -> neo4j.AsyncDriver:
        return self._driver

    @property
    def bookmarks(self) -> BookmarkManager | None:
        return self._bookmarks

    async def read(self, name: str, **params: Any) -> Rows:
        self._count([name])
        query = Query(queries.load(name), metadata=metadata([name]), timeout=self._timeout)
        delay = FIRST_DELAY
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                async with self._driver.session(
                    database=self._database, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=self._bookmarks
                ) as session:
                    return await _rows(await session.run(query, params))
            except (DriverError, Neo4jError) as error:
                if not error.is_retryable() or time.monotonic() + delay > deadline:
                    raise
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay *= 2

    async def write(self, name: str, **params: Any) -> Rows:
        """One statement in a managed write transaction (retried by the driver)."""
        self._count([name])
        text: LiteralString = queries.load(name)

        async def work(tx: AsyncManagedTransaction) -> Rows:
            return await _rows(await tx.run(text, params))

        async with self._driver.session(database=self._database, bookmark_manager=self._bookmarks) as session:
            return await session.execute_write(
                neo4j.unit_of_work(timeout=self._timeout, metadata=metadata([name]))(work)
            )

    async def close(self) -> None:
        await self._driver.close()


async def _rows(result: neo4j.AsyncResult) -> Rows:
    keys = result.keys()
    return [dict(zip(keys, record, strict=True)) async for record in result]
