// One page of every record, in key order (a full rebuild streams them instead of holding all
// their facts): what deriving keys needs, whether it is pending, and its current profile.
// Pending records are claimed for this run ($token) as their page passes: the run clears exactly
// those at its end, so a record a writer changes meanwhile says `true` again and waits for the
// next run. Claiming here walks the uid index once; a claim loop of its own over the `pending`
// index read every record a second time and re-skipped the ones it had claimed (56 s of a
// 1M-record first build).
// One row per page, its records in a list: the driver decodes one message instead of one per
// record, which was most of a rebuild's Python time.
MATCH (c:Customer)
WHERE c.uid > $after
WITH c ORDER BY c.uid LIMIT $limit
CALL (c) {
  WITH c
  WHERE c.pending IS NOT NULL AND c.pending <> $token
  SET c.pending = $token
}
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN count(c) AS count, max(c.uid) AS last,
       collect({uid: c.uid, pending: c.pending IS NOT NULL, pid: p.pid,
                attrs: c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country},
                derived: [(c)-[:HAS_IDENTIFIER {source: "derived"}]->(i:Identifier) | i.key]}) AS rows
