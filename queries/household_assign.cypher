UNWIND $rows AS r
MATCH (p:Profile {pid: r.pid})
MERGE (h:Household {hid: r.hid})
  ON CREATE SET h.created_at = $now
SET h.address = r.address, h.size = r.size, h.evidence = r.evidence
WITH p, h
CALL (p, h) {
  OPTIONAL MATCH (p)-[old:IN_HOUSEHOLD]->(other:Household)
  WHERE other <> h
  DELETE old
}
MERGE (p)-[:IN_HOUSEHOLD]->(h)
RETURN count(*) AS written
