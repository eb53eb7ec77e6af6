// One step of the incremental closure: records that share a linking identifier with, are
// steward-linked or scored-linked to, or share a profile with the given records. An
// identifier is followed unless it is marked held out; the mark is written at the end of the
// run, so one that has just become held out is still followed this once (the records it used
// to join are re-clustered, also after a crash), and one just released ($released) is
// followed already. Fuzzy blocks are not marked: a block over its size is skipped.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
CALL (c) {
  MATCH (c)-[:HAS_IDENTIFIER]->(i:Identifier)<-[:HAS_IDENTIFIER]-(o:Customer)
  WHERE i.kind IN $kinds
    AND (coalesce(i.held_out, false) = false OR i.key IN $released)
    AND (i.kind IN $strong OR COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $caps[i.kind])
  RETURN o.uid AS other
  UNION
  MATCH (c)-[:SAME_AS|SCORED_LINK]-(o:Customer)
  RETURN o.uid AS other
  UNION
  MATCH (c)<-[:HAS_RECORD]-(:Profile)-[:HAS_RECORD]->(o:Customer)
  RETURN o.uid AS other
}
RETURN collect(DISTINCT other) AS others
