// scoring_all_records for some records, with how many records share each of their blocking
// keys (a block over max_block pairs nobody, as in a full score).
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
RETURN c.uid AS uid,
       c {.first_name, .last_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds | [i.kind, i.value]] AS ids,
       [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $block_kinds
          | [i.key, COUNT { (i)<-[:HAS_IDENTIFIER]-() }]] AS blocks
