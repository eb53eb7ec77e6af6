// Point each record at its profile; a record belongs to exactly one profile.
UNWIND $rows AS r
MATCH (c:Customer {uid: r.uid})
MATCH (p:Profile {pid: r.pid})
CALL (c, p) {
  OPTIONAL MATCH (c)<-[old:HAS_RECORD]-(other:Profile)
  WHERE other <> p
  DELETE old
}
MERGE (p)-[h:HAS_RECORD]->(c)
  ON CREATE SET h.since = $now
RETURN count(c) AS written
