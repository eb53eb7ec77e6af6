// After a crashed multi-transaction run: records left without a profile are resolved again.
MATCH (c:Customer)
WHERE NOT EXISTS { (:Profile)-[:HAS_RECORD]->(c) }
SET c.pending = true
RETURN count(c) AS marked
