MATCH (p:Profile {pid: $pid})
MERGE (p)-[:HAS_OVERRIDE]->(o:GoldenOverride {pid: $pid, field: $field})
SET o.value = $value, o.by = $by, o.at = $now, o.reason = $reason
WITH p
MATCH (p)-[:HAS_RECORD]->(c:Customer)
SET c.pending = true
RETURN count(c) AS records
