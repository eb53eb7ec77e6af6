// Each profile's touchpoints, once each however many of its records share them: what traits
// are computed from.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
  WITH DISTINCT t
  RETURN collect(t {.uid, .channel, .type, .at, .amount, .currency, .sentiment_score}) AS touchpoints
}
RETURN pid, touchpoints
