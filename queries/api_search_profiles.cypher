// Full-text search over names, identifier values, organization names and custom string
// attributes, ranked per profile.
// An exact match on a normalized identifier key outranks any full-text hit. The Lucene text is
// built from escaped terms by resolvers.search; nothing else reaches the query parser. `$only`,
// when not null, keeps the profiles a consent filter allowed. The index is eventually consistent
// (updates leave the commit path); awaiting its refresh first keeps every committed write findable.
CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()
CALL () {
  WITH $lucene AS text
  WHERE text IS NOT NULL
  CALL db.index.fulltext.queryNodes('search_text', text, {limit: $hits}) YIELD node, score
  RETURN node, score
  UNION
  // Custom string attributes of the records (loyalty tier, segment codes, ...).
  WITH $lucene AS text
  WHERE text IS NOT NULL
  CALL db.index.fulltext.queryNodes('search_attributes', text, {limit: $hits}) YIELD node, score
  RETURN node, score
  UNION
  UNWIND $keys AS key
  MATCH (node:Identifier {key: key})
  RETURN node, 1000.0 AS score
}
CALL (node, score) {
  MATCH (node:Customer)<-[:HAS_RECORD]-(p:Profile)
  RETURN p, score AS weighted
  UNION
  MATCH (node:Identifier)<-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
  RETURN p, score AS weighted
  UNION
  // People of a matching organization rank below direct hits on their own name.
  MATCH (node:Organization)<-[:WORKS_AT|MEMBER_OF]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
  RETURN p, score * 0.5 AS weighted
}
WITH p, max(weighted) AS score
WHERE ($see_restricted OR p.restricted IS NULL OR p.restricted = false)
  AND ($only IS NULL OR p.pid IN $only)
WITH p, score ORDER BY score DESC, p.pid
WITH collect(p {.*}) AS hits
RETURN size(hits) AS total, hits[$offset..$offset + $limit] AS profiles
