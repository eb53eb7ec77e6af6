// Same person: a steward link that holds through every later load and rebuild.
MATCH (a:Customer {uid: $a})
MATCH (b:Customer {uid: $b})
OPTIONAL MATCH (a)-[no:NOT_SAME_AS]-(b)
DELETE no
MERGE (a)-[s:SAME_AS]->(b)
SET s.by = $by, s.at = $now, s.reason = $reason
SET a.pending = true, b.pending = true
RETURN count(s) AS linked
