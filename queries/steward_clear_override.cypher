MATCH (p:Profile {pid: $pid})
OPTIONAL MATCH (p)-[:HAS_OVERRIDE]->(o:GoldenOverride {field: $field})
DETACH DELETE o
WITH p
MATCH (p)-[:HAS_RECORD]->(c:Customer)
SET c.pending = true
RETURN count(c) AS records
