// A batch of HAD_TOUCHPOINT relationships. An endpoint not loaded yet is created as a bare
// record (only its key) so that nothing is lost; its own row fills it in later. A new link
// marks the touchpoint for the trait refresh of the person's profile.
UNWIND $rows AS r
MERGE (a:Customer {uid: r.start})
  ON CREATE SET a.source = r.start_source, a.source_id = r.start_id, a.ingested_at = $now, a.pending = true
MERGE (b:Touchpoint {uid: r.end})
  ON CREATE SET b.source = r.end_source, b.source_id = r.end_id, b.ingested_at = $now
MERGE (a)-[x:HAD_TOUCHPOINT]->(b)
  ON CREATE SET x.source = r.source, x.first_seen = coalesce(datetime(r.first_seen), $now), b.traits_pending = true
SET x += r.props,
    x.last_seen = CASE
      WHEN datetime(r.updated_at) IS NULL OR datetime(r.updated_at) < coalesce(x.last_seen, x.first_seen)
      THEN coalesce(x.last_seen, x.first_seen)
      ELSE datetime(r.updated_at)
    END
RETURN count(x) AS written
