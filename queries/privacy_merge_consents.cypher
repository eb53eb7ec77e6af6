// A batch of consent statements loaded from a source; unchanged or older versions leave the node as it is.
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
RETURN count(n) AS written
