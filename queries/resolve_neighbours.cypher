// One step of the incremental closure: records that share a linking identifier with, are
// steward-linked or scored-linked to, or share a profile with the given records. An identifier over its cap
// is still followed until it has been marked held out, so the records it used to join are
// re-clustered once when it crosses the cap.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
CALL (c) {
  MATCH (c)-[:HAS_IDENTIFIER]->(i:Identifier)<-[:HAS_IDENTIFIER]-(o:Customer)
  WHERE i.kind IN $kinds
    AND (coalesce(i.held_out, false) = false OR COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $caps[i.kind])
  RETURN o.uid AS other
  UNION
  MATCH (c)-[:SAME_AS|SCORED_LINK]-(o:Customer)
  RETURN o.uid AS other
  UNION
  MATCH (c)<-[:HAS_RECORD]-(:Profile)-[:HAS_RECORD]->(o:Customer)
  RETURN o.uid AS other
}
RETURN collect(DISTINCT other) AS others
