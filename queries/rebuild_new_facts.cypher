// What a first build's new profiles need of their records (survivorship, conflicts): no
// current profile, degrees, held-out marks or steward links (resolve_record_facts reads those
// for re-clustering; a first build has already clustered). One row, the records in a list.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
RETURN collect({uid: c.uid, source: c.source, at: toString(coalesce(c.updated_at, c.ingested_at)),
       attrs: c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country},
       custom: [k IN keys(c) WHERE k STARTS WITH 'attr_' | [k, c[k]]],
       ids: [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds | [i.key, i.kind]]}) AS records
