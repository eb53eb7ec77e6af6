MATCH (p:Profile)
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h:Household)
RETURN p.pid AS profile_id, h.hid AS household_id,
       [(p)-[:HAS_RECORD]->(c:Customer) | {source: c.source, source_id: c.source_id}] AS records
ORDER BY profile_id
