// A merged-away profile becomes an alias of the survivor, which also inherits its aliases,
// history and steward overrides; lookups by the old id keep working.
UNWIND $rows AS r
MATCH (old:Profile {pid: r.old})
MATCH (survivor:Profile {pid: r.new})
MERGE (alias:ProfileAlias {pid: r.old})
MERGE (alias)-[:ALIAS_OF]->(survivor)
WITH old, survivor
CALL (old, survivor) {
  MATCH (a:ProfileAlias)-[x:ALIAS_OF]->(old)
  MERGE (a)-[:ALIAS_OF]->(survivor)
  DELETE x
}
CALL (old, survivor) {
  MATCH (old)-[x:HAS_EVENT]->(e)
  MERGE (survivor)-[:HAS_EVENT]->(e)
  DELETE x
}
CALL (old, survivor) {
  MATCH (old)-[x:HAS_OVERRIDE]->(o)
  WHERE NOT EXISTS { (survivor)-[:HAS_OVERRIDE]->(:GoldenOverride {field: o.field}) }
  MERGE (survivor)-[:HAS_OVERRIDE]->(o)
  DELETE x
}
CALL (old, survivor) {
  // The merged-away profile leaves its segments with its node: recorded for the change feed
  // (the survivor's membership is re-evaluated by the trait refresh that follows).
  MATCH (old)-[:IN_SEGMENT]->(s:Segment)
  CREATE (:SegmentChange {segment: s.name, pid: old.pid, kind: 'exit', at: $now, merged_into: survivor.pid})
}
CALL (old) {
  // The merged-away profile's household goes with it when it was the only member; the
  // survivor's household is recomputed in the same run.
  MATCH (old)-[:IN_HOUSEHOLD]->(h:Household)
  WHERE COUNT { (h)<-[:IN_HOUSEHOLD]-() } = 1
  DETACH DELETE h
}
DETACH DELETE old
RETURN count(*) AS retired
