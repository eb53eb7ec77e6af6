UNWIND $rows AS r
MERGE (p:Profile {pid: r.pid})
  ON CREATE SET p.created_at = $now
SET p += r.props, p.updated_at = $now
RETURN count(p) AS written
