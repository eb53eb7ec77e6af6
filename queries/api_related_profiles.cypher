// One breadth-first step of relatedProfiles: profiles sharing an entity with each given
// profile through the allowed relationship types ($types, taken from resolvers.related's
// allow-list), or sharing its household when $household is set.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[r:HOLDS|USES_DEVICE|WORKS_AT|MEMBER_OF]->(shared)
        <-[r2:HOLDS|USES_DEVICE|WORKS_AT|MEMBER_OF]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
  WHERE type(r) IN $types AND type(r2) = type(r) AND q <> p
  RETURN q, type(r) AS via
  UNION
  MATCH (p)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(q:Profile)
  WHERE $household AND q <> p
  RETURN q, 'IN_HOUSEHOLD' AS via
}
WITH pid, q, collect(DISTINCT via) AS via
WHERE $see_restricted OR q.restricted IS NULL OR q.restricted = false
RETURN pid AS key, q.pid AS related, via
ORDER BY key, related
