MATCH (i:Identifier)
WHERE i.held_out = true
RETURN i.key AS key, i.kind AS kind, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS records
ORDER BY records DESC, key
LIMIT $limit
