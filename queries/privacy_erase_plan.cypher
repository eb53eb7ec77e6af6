// What erasing these records touches: their names, their identifiers (and whether records of
// other people share them), and the records of other people to re-resolve afterwards.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
RETURN c.uid AS uid,
       [x IN [c.first_name, c.last_name, c.full_name] WHERE x IS NOT NULL] AS names,
       [(c)-[:HAS_IDENTIFIER]->(i:Identifier) |
          i {.key, .kind, .value, held_out: coalesce(i.held_out, false),
             shared: EXISTS { (i)<-[:HAS_IDENTIFIER]-(o:Customer) WHERE NOT o.uid IN $uids }}] AS identifiers,
       [(c)-[:HAS_IDENTIFIER]->(:Identifier)<-[:HAS_IDENTIFIER]-(o:Customer) WHERE NOT o.uid IN $uids | o.uid]
       + [(c)-[:SAME_AS|NOT_SAME_AS]-(o:Customer) WHERE NOT o.uid IN $uids | o.uid]
       + [(c)<-[:HAS_RECORD]-(:Profile)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(:Profile)-[:HAS_RECORD]->(o:Customer)
            WHERE NOT o.uid IN $uids | o.uid] AS neighbours,
       [(c)<-[:HAS_RECORD]-(:Profile)-[:IN_HOUSEHOLD]->(h:Household) | h.hid] AS households
