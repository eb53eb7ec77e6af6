"""One driver per process, managed transactions that retry, queries only from the catalog.

The API process also holds the async twin (graph/async_connection.py) for its event loop: a
neo4j driver is either blocking or async, and the API needs both kinds of caller.
"""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import ManagedTransaction, Query
from neo4j.api import BookmarkManager

import queries
from graph.changes import bell

__all__ = ["Graph", "Ledger", "Rows", "Transaction", "TxGraph", "metadata"]

T = TypeVar("T")
Rows = list[dict[str, Any]]


def metadata(names: list[str]) -> dict[str, str]:
    """Names the statements in Neo4j's query log and `SHOW TRANSACTIONS`."""
    return {"app": "c360", "query": ",".join(names)}


class Ledger:
    """What a connection ran: tests use it to prove there is no N+1 and that every catalog
    query ran at least once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._round_trips = 0
        self.statements: Counter[str] = Counter()

    @property
    def round_trips(self) -> int:
        """Transactions run so far."""
        return self._round_trips

    def _count(self, names: list[str]) -> None:
        with self._lock:
            self._round_trips += 1
            self.statements.update(names)

    def _ran(self, name: str) -> None:
        with self._lock:
            self.statements[name] += 1


class Transaction:
    """Catalog statements inside one managed transaction (see `Graph.transaction`)."""

    def __init__(self, tx: ManagedTransaction, ledger: Ledger, declared: frozenset[str]) -> None:
        self._tx = tx
        self._ledger = ledger
        self._declared = declared

    def run(self, name: str, **params: Any) -> Rows:
        if name not in self._declared:
            raise ValueError(f"{name} was not declared for this transaction")
        self._ledger._ran(name)
        return _rows(self._tx.run(queries.load(name), params))


class Graph(Ledger):
    """Runs catalog queries against one Neo4j database, with parameters only."""

    def __init__(
        self, driver: neo4j.Driver, database: str, timeout: float, bookmarks: BookmarkManager | None = None
    ) -> None:
        super().__init__()
        self._driver = driver
        self._database = database
        self._timeout = timeout
        self._bookmarks = bookmarks

    @classmethod
    def connect(cls, uri: str, auth: tuple[str, str], database: str, timeout: float) -> "Graph":
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_pool_size=64,
            # Catalog queries are reviewed text; planner hints about unknown labels on an empty
            # database are noise in logs, not something a user can act on.
            notifications_min_severity="OFF",
        )
        try:
            driver.verify_connectivity()
        except BaseException:
            driver.close()
            raise
        # Every session of this graph (and of the API's async graph, which shares it) is chained
        # by one bookmark manager: on a cluster a read waits until the server it reaches has
        # applied this process's earlier writes (read your own writes); on one server it costs
        # nothing.
        return cls(driver, database, timeout, neo4j.GraphDatabase.bookmark_manager())

    @property
    def driver(self) -> neo4j.Driver:
        return self._driver

    @property
    def database(self) -> str:
        return self._database

    @property
    def timeout(self) -> float:
        return self._timeout

    @property
    def bookmarks(self) -> BookmarkManager | None:
        """The causal chain of this process's sessions (None: each session stands alone)."""
        return self._bookmarks

    def forget_bookmarks(self) -> None:
        """Start a new causal chain: after the database was replaced offline (`neo4j-admin
        database import`), the bookmarks held name transactions the new store never had, and a
        session that waits for them times out (`BookmarkTimeout`)."""
        if self._bookmarks is not None:
            self._bookmarks = neo4j.GraphDatabase.bookmark_manager()

    def _session(self, **config: Any) -> neo4j.Session:
        return self._driver.session(database=self._database, bookmark_manager=self._bookmarks, **config)

    def _managed(self, names: list[str], work: Callable[[ManagedTransaction], T]) -> Callable[[ManagedTransaction], T]:
        self._count(names)
        return neo4j.unit_of_work(timeout=self._timeout, metadata=metadata(names))(work)

    def read(self, name: str, **params: Any) -> Rows:
        text = queries.load(name)

        def work(tx: ManagedTransaction) -> Rows:
            return _rows(tx.run(text, params))

        with self._session(default_access_mode=neo4j.READ_ACCESS) as s:
            return s.execute_read(self._managed([name], work))

    def write(self, name: str, **params: Any) -> Rows:
        return self.write_many([(name, params)])[0]

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        """Run several catalog statements in one transaction: all land or none."""
        prepared: list[tuple[LiteralString, dict[str, Any]]] = [(queries.load(n), p) for n, p in steps]

        def work(tx: ManagedTransaction) -> list[Rows]:
            return [_rows(tx.run(text, params)) for text, params in prepared]

        with self._session() as s:
            done = s.execute_write(self._managed([n for n, _ in steps], work))
        if any(name == bell.NUMBERING for name, _ in steps):
            bell.ring()  # committed: the outbox has new events
        return done

    def transaction(self, names: list[str], work: Callable[[Transaction], T]) -> T:
        """Run `work` in one write transaction: it may look at what a statement returned before
        it runs the next, and all of it lands or none. `names` declares the statements it may
        run (they name the transaction in Neo4j's query log). Retried whole on transient errors,
        so `work` must do nothing but run statements."""
        declared = frozenset(names)

        def unit(tx: ManagedTransaction) -> T:
            return work(Transaction(tx, self, declared))

        self._count([])
        managed = neo4j.unit_of_work(timeout=self._timeout, metadata=metadata(sorted(declared)))(unit)
        with self._session() as s:
            done = s.execute_write(managed)
        if bell.NUMBERING in declared:
            bell.ring()
        return done

    def atomic(self, work: Callable[["TxGraph"], T], *, name: str = "atomic") -> T:
        """Run `work` in ONE managed write transaction, handing it a `TxGraph`: code written
        against `Graph` (resolution, households) runs unchanged inside it, sees its own writes,
        and commits or rolls back whole. Transient failures (DeadlockDetected, lock timeouts)
        roll back and rerun `work` from the start, so it must keep no state between attempts."""

        attempt: list[TxGraph] = []

        def run(tx: ManagedTransaction) -> T:
            attempt[:] = [TxGraph(self, tx)]
            return work(attempt[0])

        with self._session() as s:
            done = s.execute_write(self._managed([name], run))
        if attempt and attempt[0].numbered:
            bell.ring()
        return done

    def composed(self, text: str, params: dict[str, Any], *, name: str) -> Rows:
        """A read composed at run time (segment queries, from graph/segments/fragments.py only: fixed
        fragments and generated parameter names, never a caller's value), named `name` in logs."""
        self._ran(name)
        query = Query(text, metadata=metadata([name]), timeout=self._timeout)
        records, _, _ = self._driver.execute_query(
            query,
            params,
            database_=self._database,
            routing_=neo4j.RoutingControl.READ,
            bookmark_manager_=self._bookmarks,
        )
        return [dict(r) for r in records]

    def run_auto(self, name: str, **params: Any) -> None:
        """Auto-commit statements: schema DDL and `CALL { } IN TRANSACTIONS` need them."""
        self._count([name])
        query = Query(queries.load(name), metadata=metadata([name]), timeout=self._timeout)
        with self._session() as s:
            s.run(query, params).consume()

    def close(self) -> None:
        self._driver.close()


class TxGraph(Graph):
    """A `Graph` bound to one open transaction (see `Graph.atomic`)."""

    def __init__(self, parent: Graph, tx: ManagedTransaction) -> None:
        super().__init__(parent.driver, parent.database, parent.timeout, parent.bookmarks)
        self._tx = tx
        self.numbered = False
        """Whether the transaction numbered outbox events (its commit rings graph/changes/bell)."""

    def read(self, name: str, **params: Any) -> Rows:
        self._ran(name)
        return _rows(self._tx.run(queries.load(name), params))

    def write_many(self, steps: list[tuple[str, dict[str, Any]]]) -> list[Rows]:
        for n, _ in steps:
            self._ran(n)
            self.numbered = self.numbered or n == bell.NUMBERING
        return [_rows(self._tx.run(queries.load(n), p)) for n, p in steps]

    def atomic(self, work: Callable[["TxGraph"], T], *, name: str = "atomic") -> T:
        return work(self)  # already inside one

    def composed(self, text: str, params: dict[str, Any], *, name: str) -> Rows:
        self._ran(name)
        return _rows(self._tx.run(text, params))

    def transaction(self, names: list[str], work: Callable[[Transaction], T]) -> T:
        self.numbered = self.numbered or bell.NUMBERING in names
        return work(Transaction(self._tx, self, frozenset(names)))

    def run_auto(self, name: str, **params: Any) -> None:
        raise RuntimeError(f"{name}: auto-commit statements cannot run inside a transaction")

    def close(self) -> None:
        """The driver belongs to the parent."""


def _rows(result: neo4j.Result) -> Rows:
    # Record.data() converts value by value and costs ~15x more than zipping the keys.
    keys = result.keys()
    return [dict(zip(keys, record, strict=True)) for record in result]
