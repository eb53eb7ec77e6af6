// Identifiers by key, for node(id).
UNWIND $keys AS key
MATCH (i:Identifier {key: key})
OPTIONAL MATCH (c:Customer)-[h:HAS_IDENTIFIER]->(i)
WITH key, i, collect(DISTINCT h.source) AS sources, collect(DISTINCT c.uid) AS records,
     min(h.first_seen) AS first_seen, max(h.last_seen) AS last_seen
RETURN key, i {.key, .kind, .value, .held_out, sources: sources, records: records,
               first_seen: first_seen, last_seen: last_seen} AS identifier
