// At most $limit touchpoints per channel per call, so one transaction stays bounded.
UNWIND $rules AS r
CALL (r) {
  MATCH (t:Touchpoint {channel: r.channel})
  WHERE t.at < r.cutoff
  WITH t LIMIT $limit
  CALL (t) {
    // Traits counted this touchpoint: its profiles are due for the trait refresh.
    MATCH (t)<-[:HAD_TOUCHPOINT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
    SET p.traits_pending = true
  }
  DETACH DELETE t
  RETURN count(*) AS deleted
}
RETURN r.channel AS channel, deleted
