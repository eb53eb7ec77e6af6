// Up to $take touchpoints written or linked since the last refresh make the profiles they feed
// due (a new order on a known customer changes no profile, but changes its traits; a touchpoint
// whose record has no profile yet is resolved later, and resolution marks the profile it writes),
// then up to $limit due profiles beyond $skip are listed (as traits_due_profiles; the marks just
// set included), in one row: the start of an incremental refresh chunk in one statement. A bulk
// refresh takes marks only ($limit 0).
CALL () {
  MATCH (t:Touchpoint)
  WHERE t.traits_pending = true
  WITH t LIMIT $take
  CALL (t) {
    MATCH (t)<-[:HAD_TOUCHPOINT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
    SET p.traits_pending = true
  }
  REMOVE t.traits_pending
  RETURN count(t) AS taken
}
CALL () {
  MATCH (p:Profile)
  WHERE p.traits_pending = true AND NOT p.pid IN $skip
  WITH p LIMIT $limit
  RETURN collect(p.pid) AS due
}
RETURN taken, due
