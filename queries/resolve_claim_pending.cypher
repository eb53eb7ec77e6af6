// Claim up to $limit pending records (true, or the token of a run that crashed) for this run.
MATCH (c:Customer)
WHERE c.pending IS NOT NULL AND c.pending <> $token
WITH c LIMIT $limit
SET c.pending = $token
RETURN c.uid AS uid, true AS pending, c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key] AS derived
