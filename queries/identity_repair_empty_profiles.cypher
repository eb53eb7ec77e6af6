// After a crashed multi-transaction run: profiles it created but never gave records to.
MATCH (p:Profile)
WHERE NOT EXISTS { (p)-[:HAS_RECORD]->() }
DETACH DELETE p
RETURN count(*) AS deleted
