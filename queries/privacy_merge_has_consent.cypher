// A batch of HAS_CONSENT relationships. A record not loaded yet is created bare (only its key),
// as for touchpoints, so a consent that arrives first is not lost.
UNWIND $rows AS r
MERGE (a:Customer {uid: r.start})
  ON CREATE SET a.source = r.start_source, a.source_id = r.start_id, a.ingested_at = $now, a.pending = true
MERGE (b:Consent {uid: r.end})
  ON CREATE SET b.source = r.end_source, b.source_id = r.end_id, b.ingested_at = $now
MERGE (a)-[x:HAS_CONSENT]->(b)
  ON CREATE SET x.source = r.source, x.first_seen = coalesce(datetime(r.first_seen), $now)
SET x.last_seen = coalesce(datetime(r.updated_at), x.first_seen)
RETURN count(x) AS written
