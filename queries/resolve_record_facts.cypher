// Everything resolution needs about some records: attributes, current profile, identifiers
// of the given kinds with their degree (records sharing them), steward decisions and
// scored links.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN c.uid AS uid, c.source AS source, toString(coalesce(c.updated_at, c.ingested_at)) AS at,
       c.pending AS pending, p.pid AS pid,
       c {.first_name, .last_name, .full_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [k IN keys(c) WHERE k STARTS WITH 'attr_' | [k, c[k]]] AS custom,
       [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds
          | [i.key, i.kind, COUNT { (i)<-[:HAS_IDENTIFIER]-() }, coalesce(i.held_out, false)]] AS ids,
       [(c)-[:SAME_AS]-(o:Customer) | o.uid] AS same,
       [(c)-[:NOT_SAME_AS]-(o:Customer) | o.uid] AS cannot,
       [(c)-[:SCORED_LINK]-(o:Customer) | o.uid] AS scored
