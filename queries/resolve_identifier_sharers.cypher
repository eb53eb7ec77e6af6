// The strong identifiers of some records, with everybody who shares them: resolution tells
// one person's many records from many people on one identifier by their names and birth
// dates. Sharers are listed only up to the kind's limit; past it the identifier is held out
// whoever they are. In one row: one Bolt message, not one per identifier.
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})-[:HAS_IDENTIFIER]->(i:Identifier)
WHERE i.kind IN $kinds
WITH DISTINCT i
WITH i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS degree
RETURN collect({key: i.key, kind: i.kind, degree: degree, held: coalesce(i.held_out, false),
       records: CASE WHEN degree <= $limits[i.kind]
         THEN [(i)<-[:HAS_IDENTIFIER]-(c:Customer) | c {.first_name, .last_name, .full_name, .birth_date}]
         ELSE [] END}) AS identifiers
