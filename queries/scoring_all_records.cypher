// The model's input for training and a full score: every record's attributes and the values
// of its identifiers of the compared kinds.
MATCH (c:Customer)
RETURN c.uid AS uid,
       c {.first_name, .last_name, .birth_date, .street, .city, .postcode, .country} AS attrs,
       [(c)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE i.kind IN $kinds | [i.kind, i.value]] AS ids
