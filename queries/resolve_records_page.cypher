// One page of every record, in key order (a full rebuild streams them instead of holding all
// their facts): what deriving keys needs, whether it is pending, and its current profile.
MATCH (c:Customer)
WHERE c.uid > $after
WITH c ORDER BY c.uid LIMIT $limit
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN c.uid AS uid, c.pending IS NOT NULL AS pending, p.pid AS pid,
       c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key] AS derived
