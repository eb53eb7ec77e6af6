MATCH (p:Profile {pid: $pid})-[:HAS_RECORD]->(c:Customer)
RETURN c.uid AS uid
ORDER BY uid
