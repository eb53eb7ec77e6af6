// Derived keys (e.g. name + birth date) become identifiers, so they link, count against
// caps and explain exactly like loaded ones. Stale derived links of these records go first.
UNWIND $rows AS r
MATCH (c:Customer {uid: r.uid})
CALL (c, r) {
  OPTIONAL MATCH (c)-[old:HAS_IDENTIFIER {source: 'derived'}]->(i:Identifier)
  WHERE NOT i.key IN [x IN r.identifiers | x.key]
  DELETE old
}
CALL (c, r) {
  UNWIND r.identifiers AS x
  MERGE (i:Identifier {key: x.key})
    ON CREATE SET i.kind = x.kind, i.value = x.value, i.source = 'derived', i.first_seen = $now
  MERGE (c)-[h:HAS_IDENTIFIER {source: 'derived'}]->(i)
    ON CREATE SET h.first_seen = $now, h.last_seen = $now
}
RETURN count(c) AS written
