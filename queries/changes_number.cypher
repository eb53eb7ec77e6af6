// The transaction's last statement: number its staged events from the one counter. Setting the
// counter takes its write lock before the read (Neo4j locks on a direct read-modify-write), and
// the lock is held until commit: a transaction numbers its events only after every transaction
// with smaller positions has committed or rolled back, so commit order is position order and a
// reader that sees position N has already been able to see every position below N.
MATCH (e:ChangeEvent {txn: $txn})
WITH e ORDER BY e.seq, e.id
WITH collect(e) AS events
WHERE size(events) > 0
MERGE (c:ChangeCounter {name: 'outbox'})
SET c.position = coalesce(c.position, 0) + size(events)
WITH events, c.position - size(events) AS base
UNWIND range(0, size(events) - 1) AS i
WITH events[i] AS e, base + i + 1 AS position
SET e.position = position
REMOVE e.txn, e.seq
RETURN count(*) AS numbered, max(position) AS last
