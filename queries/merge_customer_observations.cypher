// Person records seen piecemeal, one event at a time (web visitors, newsletter subscribers,
// help-desk requesters): identifiers accumulate, attributes follow the first observation and
// then only strictly newer ones, so re-loading the same events changes nothing.
UNWIND $rows AS r
MERGE (c:Customer {uid: r.uid})
  ON CREATE SET c.source = r.source, c.source_id = r.source_id, c.ingested_at = $now
WITH c, r
CALL (c, r) {
  WITH c, r
  WHERE c.row_hash IS NULL
     OR (datetime(r.updated_at) IS NOT NULL AND (c.updated_at IS NULL OR datetime(r.updated_at) > c.updated_at)
         AND c.row_hash <> r.row_hash)
  SET c += r.props,
      c.birth_date = date(r.props.birth_date),
      c.row_hash = r.row_hash,
      c.updated_at = coalesce(datetime(r.updated_at), c.updated_at),
      c.loaded_at = $now,
      c.pending = true
  RETURN count(*) AS changed
}
CALL (c, r) {
  UNWIND r.identifiers AS x
  MERGE (i:Identifier {key: x.key})
    ON CREATE SET i.kind = x.kind, i.value = x.value, i.source = r.source, i.first_seen = $now
  MERGE (c)-[h:HAS_IDENTIFIER]->(i)
    ON CREATE SET h.source = r.source, h.first_seen = coalesce(datetime(r.updated_at), $now), c.pending = true
  SET h.last_seen = CASE
      WHEN datetime(r.updated_at) IS NULL OR datetime(r.updated_at) < coalesce(h.last_seen, h.first_seen)
      THEN coalesce(h.last_seen, h.first_seen)
      ELSE datetime(r.updated_at)
    END
}
RETURN sum(changed) AS written
