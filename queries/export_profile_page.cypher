// One page of profiles in id order (keyset pagination keeps big exports cheap).
MATCH (p:Profile)
WHERE p.pid > $after
WITH p ORDER BY p.pid LIMIT $limit
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h:Household)
RETURN p.pid AS profile_id, h.hid AS household_id,
       [(p)-[:HAS_RECORD]->(c:Customer) | {source: c.source, source_id: c.source_id}] AS records
