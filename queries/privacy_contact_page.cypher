// A page of profiles in pid order with their contact identifiers of $kinds, for the suppression
// list: restricted ones always, the others only when a consent check follows ($everyone).
MATCH (p:Profile)
WHERE ($after IS NULL OR p.pid > $after) AND ($everyone OR p.restricted = true)
WITH p
ORDER BY p.pid
LIMIT $limit
RETURN p.pid AS pid,
       p.restricted = true AS restricted,
       [(p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds | i.key] AS keys
