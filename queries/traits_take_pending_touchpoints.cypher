// Touchpoints written or linked since the last refresh make the profiles they feed due (a new
// order on a known customer changes no profile, but changes its traits). A touchpoint whose
// record has no profile yet is resolved later, and resolution marks the profile it writes.
MATCH (t:Touchpoint)
WHERE t.traits_pending = true
WITH t LIMIT $limit
CALL (t) {
  MATCH (t)<-[:HAD_TOUCHPOINT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
  SET p.traits_pending = true
}
REMOVE t.traits_pending
RETURN count(t) AS taken
