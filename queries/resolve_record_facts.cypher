// Everything resolution needs about some records: attributes, current profile, identifiers
// of the given kinds with their degree (records sharing them), steward decisions and
// scored links. One row with the records in a list: the driver decodes one message instead
// of one per record.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN collect({uid: c.uid, source: c.source, at: toString(coalesce(c.updated_at, c.ingested_at)),
       pending: c.pending, pid: p.pid,
       attrs: c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country},
       custom: [k IN keys(c) WHERE k STARTS WITH 'attr_' | [k, c[k]]],
       ids: [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds
          | [i.key, i.kind, COUNT { (i)<-[:HAS_IDENTIFIER]-() }, coalesce(i.held_out, false)]],
       same: [(c)-[:SAME_AS]-(o:Customer) | o.uid],
       cannot: [(c)-[:NOT_SAME_AS]-(o:Customer) | o.uid],
       scored: [(c)-[:SCORED_LINK]-(o:Customer) | o.uid]}) AS records
