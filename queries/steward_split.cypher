// Split a profile into the given groups: cannot-links between every pair across groups.
UNWIND $pairs AS pair
MATCH (a:Customer {uid: pair[0]})
MATCH (b:Customer {uid: pair[1]})
OPTIONAL MATCH (a)-[yes:SAME_AS]-(b)
DELETE yes
MERGE (a)-[n:NOT_SAME_AS]->(b)
SET n.by = $by, n.at = $now, n.reason = $reason
SET a.pending = true, b.pending = true
RETURN count(n) AS unlinked
