// Identifiers of profiles, merged across their records: which sources saw each one and when.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(c:Customer)-[h:HAS_IDENTIFIER]->(i:Identifier)
WITH pid, i, collect(DISTINCT h.source) AS sources, collect(DISTINCT c.uid) AS records,
     min(h.first_seen) AS first_seen, max(h.last_seen) AS last_seen
ORDER BY i.kind, i.value
RETURN pid AS key, collect(i {.key, .kind, .value, .held_out, sources: sources, records: records,
                              first_seen: first_seen, last_seen: last_seen}) AS identifiers
