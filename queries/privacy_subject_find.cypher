// The records that carry an identifier and the live profiles they belong to.
MATCH (i:Identifier {key: $key})<-[:HAS_IDENTIFIER]-(c:Customer)
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN collect(DISTINCT c.uid) AS uids, collect(DISTINCT p.pid) AS pids,
       coalesce(head(collect(i.held_out)), false) AS held_out
