// One page of the identifiers that can link records, in key order, for a streaming full
// rebuild. Each comes with its records when they can matter: shared (one record links
// nothing) and within the kind's limit (past it the identifier is held out whoever they are).
// A record is its key and the values of $fields (names and birth date for the held-out
// verdict, the compared attributes of fuzzy blocks). One row per page (one message to decode).
MATCH (i:Identifier)
WHERE i.key > $after AND i.kind IN $kinds
WITH i ORDER BY i.key LIMIT $limit
WITH i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS degree
RETURN count(i) AS count, max(i.key) AS last,
       collect([i.key, i.kind, degree, coalesce(i.held_out, false),
                CASE WHEN degree >= 2 AND degree <= $limits[i.kind]
                  THEN [(i)<-[:HAS_IDENTIFIER]-(c:Customer) | [c.uid] + [f IN $fields | c[f]]]
                  ELSE [] END]) AS rows
