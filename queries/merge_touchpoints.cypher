// A batch of touchpoint records; unchanged or older versions leave the node as it is. A written
// touchpoint is marked for the trait refresh, and its sentiment is scored again from its new text.
UNWIND $rows AS r
MERGE (n:Touchpoint {uid: r.uid})
  ON CREATE SET n.source = r.source, n.source_id = r.source_id, n.ingested_at = $now
WITH n, r
WHERE n.row_hash IS NULL
   OR (n.row_hash <> r.row_hash
       AND (datetime(r.updated_at) IS NULL OR n.updated_at IS NULL OR datetime(r.updated_at) >= n.updated_at))
SET n += r.props,
    n.at = datetime(r.props.at),
    n.row_hash = r.row_hash,
    n.updated_at = coalesce(datetime(r.updated_at), n.updated_at),
    n.loaded_at = $now,
    n.traits_pending = true,
    n.sentiment_score = null,
    n.sentiment = null
RETURN count(n) AS written
