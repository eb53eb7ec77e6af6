// Profiles (by id or alias) with their records, aliases, history, overrides and households.
// Other members of a household are other people's data: only the household itself is listed.
UNWIND $pids AS given
OPTIONAL MATCH (direct:Profile {pid: given})
OPTIONAL MATCH (:ProfileAlias {pid: given})-[:ALIAS_OF]->(aliased:Profile)
WITH coalesce(direct, aliased) AS p
WHERE p IS NOT NULL
WITH DISTINCT p
RETURN p.pid AS pid, properties(p) AS profile,
       [(p)-[:HAS_RECORD]->(c:Customer) | c.uid] AS records,
       [(a:ProfileAlias)-[:ALIAS_OF]->(p) | a.pid] AS aliases,
       [(p)-[:HAS_EVENT]->(e:ResolutionEvent) | properties(e)] AS events,
       [(p)-[:HAS_OVERRIDE]->(o:GoldenOverride) | properties(o)] AS overrides,
       [(p)-[:IN_HOUSEHOLD]->(h:Household) | h {.hid, .size, .evidence, .created_at}] AS households
