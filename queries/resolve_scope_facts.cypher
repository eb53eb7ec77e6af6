// One step of the incremental scope (evidence.scope): the facts of these records, exactly as
// resolve_record_facts reads them, and in `reach` the records they reach that the facts do not
// name already: records sharing a linking identifier with them, and their profiles' records.
// (Steward and scored links are in `same` and `scored`.) One read per step instead of a closure
// walk and then a second read of every record in it. An identifier is followed unless it is
// marked held out; the mark is written at the end of the run, so one that has just become held
// out is still followed this once (the records it used to join are re-clustered, also after a
// crash), and one just released ($released) is followed already. A fuzzy block over its size
// is not followed.
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
       scored: [(c)-[:SCORED_LINK]-(o:Customer) | o.uid],
       reach: [(c)-[:HAS_IDENTIFIER]->(i:Identifier)<-[:HAS_IDENTIFIER]-(o:Customer)
                WHERE i.kind IN $linking
                  AND (coalesce(i.held_out, false) = false OR i.key IN $released)
                  AND (i.kind IN $strong OR COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $caps[i.kind]) | o.uid]
            + [(c)<-[:HAS_RECORD]-(:Profile)-[:HAS_RECORD]->(o:Customer) | o.uid]}) AS records
