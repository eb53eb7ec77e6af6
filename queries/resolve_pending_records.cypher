MATCH (c:Customer)
WHERE c.pending = true
RETURN c.uid AS uid, coalesce(c.pending, false) AS pending, c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key] AS derived
