// Claim these pending records for one resolution run: `pending` becomes the run's token, so a
// writer that changes a record meanwhile sets it back to true and the record stays pending.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
WHERE c.pending IS NOT NULL AND c.pending <> $token
SET c.pending = $token
RETURN c.uid AS uid, true AS pending, c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key] AS derived
