// A page of profiles in pid order with their contact identifiers of $kinds, for the suppression
// list: the restricted ones ($restricted), or the others, whose consent is checked next.
MATCH (p:Profile)
WHERE ($after IS NULL OR p.pid > $after) AND coalesce(p.restricted, false) = $restricted
WITH p
ORDER BY p.pid
LIMIT $limit
RETURN p.pid AS pid,
       [(p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds | i.key] AS keys
