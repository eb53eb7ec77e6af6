// Not the same person: a cannot-link that no identifier or chain of links can override.
MATCH (a:Customer {uid: $a})
MATCH (b:Customer {uid: $b})
OPTIONAL MATCH (a)-[yes:SAME_AS]-(b)
DELETE yes
MERGE (a)-[n:NOT_SAME_AS]->(b)
SET n.by = $by, n.at = $now, n.reason = $reason
SET a.pending = true, b.pending = true
RETURN count(n) AS unlinked
