// Claim a micro-batch in one statement: these pending records (`pending` becomes the run's
// token, so a writer that changes a record meanwhile sets it back to true and the record stays
// pending), then up to $limit other pending records (true, or the token of a run that crashed).
// In one row: one Bolt message, not one per record.
CALL () {
  UNWIND $uids AS uid
  MATCH (c:Customer {uid: uid})
  USING INDEX c:Customer(uid)
  WHERE c.pending IS NOT NULL AND c.pending <> $token
  SET c.pending = $token
  RETURN collect(c) AS mine
}
CALL (mine) {
  MATCH (c:Customer)
  WHERE c.pending IS NOT NULL AND c.pending <> $token AND NOT c IN mine
  WITH c LIMIT $limit
  SET c.pending = $token
  RETURN collect(c) AS others
}
UNWIND mine + others AS c
RETURN collect({uid: c.uid, pending: true,
                attrs: c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country},
                derived: [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key]}) AS claimed
