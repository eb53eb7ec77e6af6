// Everything held on each source record: the record, its identifiers, touchpoints, devices,
// accounts, organizations, consents and the steward decisions that name it.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
RETURN c.uid AS uid, properties(c) AS record,
       [(c)-[h:HAS_IDENTIFIER]->(i:Identifier) |
          i {.key, .kind, .value, .held_out, source: h.source, first_seen: h.first_seen, last_seen: h.last_seen}] AS identifiers,
       [(c)-[:HAD_TOUCHPOINT]->(t:Touchpoint) | properties(t)] AS touchpoints,
       [(c)-[:USES_DEVICE]->(d:Device) | properties(d)] AS devices,
       [(c)-[x:HOLDS]->(a:Account) | a {.*, role: x.role}] AS accounts,
       [(c)-[x:WORKS_AT|MEMBER_OF]->(o:Organization) |
          {type: type(x), organization: o.uid, name: o.name, properties: properties(x)}] AS organizations,
       [(c)-[:HAS_CONSENT]->(k:Consent) | properties(k)] AS consents,
       [(c)-[x:SAME_AS|NOT_SAME_AS]-(o:Customer) |
          {type: type(x), other: o.uid, by: x.by, at: x.at, reason: x.reason}] AS steward_decisions
