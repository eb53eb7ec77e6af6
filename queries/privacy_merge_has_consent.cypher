// A batch of HAS_CONSENT relationships. A record not loaded yet is created bare (only its key),
// as for touchpoints, so a consent that arrives first is not lost. A statement newly linked to a
// resolved record makes that profile's segment membership due (consent is part of eligibility).
UNWIND $rows AS r
MERGE (a:Customer {uid: r.start})
  ON CREATE SET a.source = r.start_source, a.source_id = r.start_id, a.ingested_at = $now, a.pending = true
MERGE (b:Consent {uid: r.end})
  ON CREATE SET b.source = r.end_source, b.source_id = r.end_id, b.ingested_at = $now
WITH a, b, r, EXISTS { (a)-[:HAS_CONSENT]->(b) } AS known
MERGE (a)-[x:HAS_CONSENT]->(b)
  ON CREATE SET x.source = r.source, x.first_seen = coalesce(datetime(r.first_seen), $now)
SET x.last_seen = coalesce(datetime(r.updated_at), x.first_seen)
WITH a, x, known
CALL (a, known) {
  OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(a)
  WHERE NOT known
  SET p.traits_pending = true
}
RETURN count(x) AS written
