// A batch of consent statements loaded from a source; unchanged or older versions leave the node
// as it is. A changed statement makes its profile's segment membership due (consent is part of
// eligibility; a new statement's profile is marked when its HAS_CONSENT is written).
UNWIND $rows AS r
MERGE (n:Consent {uid: r.uid})
  ON CREATE SET n.source = r.source, n.source_id = r.source_id, n.ingested_at = $now
WITH n, r
WHERE n.row_hash IS NULL
   OR (n.row_hash <> r.row_hash
       AND (datetime(r.updated_at) IS NULL OR n.updated_at IS NULL OR datetime(r.updated_at) >= n.updated_at))
SET n += r.props,
    n.at = datetime(r.props.at),
    n.row_hash = r.row_hash,
    n.updated_at = coalesce(datetime(r.updated_at), n.updated_at),
    n.loaded_at = $now
WITH n
CALL (n) {
  OPTIONAL MATCH (n)<-[:HAS_CONSENT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
  SET p.traits_pending = true
}
RETURN count(n) AS written
