// Delete the profiles with their history, overrides, aliases and the consents set on them.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_EVENT]->(e:ResolutionEvent)
  DETACH DELETE e
}
CALL (p) {
  MATCH (p)-[:HAS_OVERRIDE]->(o:GoldenOverride)
  DETACH DELETE o
}
CALL (p) {
  MATCH (k:Consent)
  WHERE k.pid = p.pid OR EXISTS { (:ProfileAlias {pid: k.pid})-[:ALIAS_OF]->(p) }
  DETACH DELETE k
}
CALL (p) {
  MATCH (a:ProfileAlias)-[:ALIAS_OF]->(p)
  DETACH DELETE a
}
DETACH DELETE p
RETURN count(*) AS profiles
