// At most $limit touchpoints per channel per call, so one transaction stays bounded.
UNWIND $rules AS r
CALL (r) {
  MATCH (t:Touchpoint {channel: r.channel})
  WHERE t.at < r.cutoff
  WITH t LIMIT $limit
  DETACH DELETE t
  RETURN count(*) AS deleted
}
RETURN r.channel AS channel, deleted
