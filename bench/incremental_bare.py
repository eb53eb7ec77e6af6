"""The same-run baseline of an incremental batch: its output written bare (bench/incremental.py).

After c360 has resolved a batch and refreshed its traits, what the batch left is read back:
every profile that holds one of the batch's records (all its properties, golden values and
traits included), the links from it to the batch's records, its household link, the records'
derived-key links, and the change events the batch staged. They are then written again in ONE
transaction with bare `UNWIND CREATE`s, under labels of their own that carry the same
uniqueness constraints and indexes as the real ones, together with a mark on each of the
batch's records (as c360 clears their pending flag). That is the fewest writes any engine
could leave this batch's result with through Bolt: no reads of evidence, no judging, no claim,
no lock. The copies are deleted afterwards, untimed.
"""

from datetime import UTC, datetime
from typing import Any

from _common import Stopwatch

from graph.connection import Graph

__all__ = ["BARE_NAME", "SCHEMA", "bare_batch", "drop_schema", "outbox_position"]

BARE_NAME = "bare write of the batch's output"

SCHEMA = (
    "CREATE CONSTRAINT bare_profile_pid IF NOT EXISTS FOR (n:BareProfile) REQUIRE n.pid IS UNIQUE",
    "CREATE CONSTRAINT bare_event_id IF NOT EXISTS FOR (n:BareChangeEvent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT bare_event_position IF NOT EXISTS FOR (n:BareChangeEvent) REQUIRE n.position IS UNIQUE",
    "CREATE INDEX bare_event_at IF NOT EXISTS FOR (n:BareChangeEvent) ON (n.at)",
    "CREATE INDEX bare_event_txn IF NOT EXISTS FOR (n:BareChangeEvent) ON (n.txn)",
)
DROP = (
    "DROP CONSTRAINT bare_profile_pid IF EXISTS",
    "DROP CONSTRAINT bare_event_id IF EXISTS",
    "DROP CONSTRAINT bare_event_position IF EXISTS",
    "DROP INDEX bare_event_at IF EXISTS",
    "DROP INDEX bare_event_txn IF EXISTS",
)

POSITION = "OPTIONAL MATCH (c:ChangeCounter {name: 'outbox'}) RETURN coalesce(c.position, 0) AS position"
READ_PROFILES = """
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})<-[:HAS_RECORD]-(p:Profile)
WITH DISTINCT p
RETURN p {.*} AS props,
       [(p)-[:HAS_RECORD]->(c:Customer) WHERE c.uid IN $uids | c.uid] AS uids,
       [(p)-[:IN_HOUSEHOLD]->(h:Household) | h.hid] AS households
"""
READ_DERIVED = """
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})-[h:HAS_IDENTIFIER {source: 'derived'}]->(i:Identifier)
RETURN uid, collect(i.key) AS keys
"""
READ_EVENTS = "MATCH (e:ChangeEvent) WHERE e.position > $after RETURN e {.*} AS props"
WRITE_PROFILES = """
UNWIND $rows AS r
CREATE (p:BareProfile)
SET p = r.props
WITH p, r
CALL (p, r) {
  UNWIND r.uids AS uid
  MATCH (c:Customer {uid: uid})
  CREATE (p)-[:BARE_RECORD]->(c)
}
CALL (p, r) {
  UNWIND r.households AS hid
  MATCH (h:Household {hid: hid})
  CREATE (p)-[:BARE_HOUSEHOLD]->(h)
}
"""
WRITE_DERIVED = """
UNWIND $rows AS r
MATCH (c:Customer {uid: r.uid})
UNWIND r.keys AS key
MATCH (i:Identifier {key: key})
CREATE (c)-[:BARE_IDENTIFIER {source: 'derived', first_seen: $now, last_seen: $now}]->(i)
"""
WRITE_EVENTS = "UNWIND $rows AS r CREATE (e:BareChangeEvent) SET e = r"
MARK = "UNWIND $uids AS uid MATCH (c:Customer {uid: uid}) SET c.bare_resolved = true"
CLEAN = (
    "MATCH (p:BareProfile) DETACH DELETE p",
    "MATCH (e:BareChangeEvent) DELETE e",
    "UNWIND $uids AS uid MATCH (:Customer {uid: uid})-[h:BARE_IDENTIFIER]->() DELETE h",
    "UNWIND $uids AS uid MATCH (c:Customer {uid: uid}) REMOVE c.bare_resolved",
)


def _run(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    with graph.driver.session(database=graph.database) as session:
        return [record.data() for record in session.run(text, params)]


def outbox_position(graph: Graph) -> int:
    """The outbox counter before a batch: the batch's events are numbered above it."""
    return int(_run(graph, POSITION)[0]["position"])


def bare_batch(graph: Graph, clock: Stopwatch, uids: list[str], after: int) -> dict[str, int]:
    """Write the batch's output bare, timed in `clock` under BARE_NAME; what was written."""
    for text in SCHEMA:
        _run(graph, text)
    profiles = _run(graph, READ_PROFILES, uids=uids)
    derived = _run(graph, READ_DERIVED, uids=uids)
    events = [row["props"] for row in _run(graph, READ_EVENTS, after=after)]

    def write(tx: Any) -> None:
        tx.run(WRITE_PROFILES, rows=profiles).consume()
        tx.run(WRITE_DERIVED, rows=derived, now=datetime.now(UTC)).consume()
        tx.run(WRITE_EVENTS, rows=events).consume()
        tx.run(MARK, uids=uids).consume()

    with graph.driver.session(database=graph.database) as session, clock.measure(BARE_NAME, echo=False):
        session.execute_write(write)
    for text in CLEAN:
        _run(graph, text, uids=uids)
    return {
        "profiles": len(profiles),
        "links": sum(len(p["uids"]) for p in profiles),
        "derived": sum(len(row["keys"]) for row in derived),
        "events": len(events),
        "marks": len(uids),
    }


def drop_schema(graph: Graph) -> None:
    for text in DROP:
        _run(graph, text)
