// A batch of person records with their identifiers. A record changes only when its content
// hash differs and it is not older than what is stored, so a re-load changes nothing.
UNWIND $rows AS r
MERGE (c:Customer {uid: r.uid})
  ON CREATE SET c.source = r.source, c.source_id = r.source_id, c.ingested_at = $now
WITH c, r
WHERE c.row_hash IS NULL
   OR (c.row_hash <> r.row_hash
       AND (datetime(r.updated_at) IS NULL OR c.updated_at IS NULL OR datetime(r.updated_at) >= c.updated_at))
SET c += r.props,
    c.birth_date = date(r.props.birth_date),
    c.row_hash = r.row_hash,
    c.updated_at = coalesce(datetime(r.updated_at), c.updated_at),
    c.loaded_at = $now,
    c.pending = true
WITH c, r
CALL (c, r) {
  OPTIONAL MATCH (c)-[old:HAS_IDENTIFIER]->(i:Identifier)
  WHERE NOT i.key IN [x IN r.identifiers | x.key]
  DELETE old
}
CALL (c, r) {
  UNWIND r.identifiers AS x
  MERGE (i:Identifier {key: x.key})
    ON CREATE SET i.kind = x.kind, i.value = x.value, i.source = r.source, i.first_seen = $now
  MERGE (c)-[h:HAS_IDENTIFIER]->(i)
    ON CREATE SET h.source = r.source, h.first_seen = coalesce(datetime(r.updated_at), $now)
  SET h.last_seen = coalesce(datetime(r.updated_at), h.first_seen)
}
RETURN count(c) AS written
