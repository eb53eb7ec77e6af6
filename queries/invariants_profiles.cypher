// The live partition and its defects, for the invariant checker: per record its profiles, per
// profile its record count. Reads everything: a check, not a request path.
MATCH (c:Customer)
RETURN c.uid AS uid, c.pending IS NOT NULL AS pending, [(p:Profile)-[:HAS_RECORD]->(c) | p.pid] AS pids
