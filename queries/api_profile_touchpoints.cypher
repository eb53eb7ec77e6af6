// One page of each profile's touchpoints, newest first, keyset-paginated on (at, uid): a page
// costs the same however deep the caller has scrolled. Touchpoints without a time sort last
// ($floor stands in for their time). The total ignores the cursor, as connections expect.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
  WHERE ($channel IS NULL OR t.channel = $channel)
    AND ($since IS NULL OR t.at >= $since)
    AND ($until IS NULL OR t.at < $until)
  RETURN count(DISTINCT t) AS total
}
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(c:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
  WHERE ($channel IS NULL OR t.channel = $channel)
    AND ($since IS NULL OR t.at >= $since)
    AND ($until IS NULL OR t.at < $until)
  WITH t, min(c.uid) AS record_uid, coalesce(t.at, $floor) AS at
  WHERE $after_at IS NULL OR at < $after_at OR (at = $after_at AND t.uid < $after_uid)
  WITH t, record_uid, at ORDER BY at DESC, t.uid DESC
  LIMIT $limit
  RETURN collect(t {.uid, .source, .source_id, .channel, .type, .at, .amount, .currency, .campaign, .subject, .page, .sentiment, .sentiment_score, record_uid: record_uid, sort_at: at}) AS touchpoints
}
RETURN pid AS key, total, touchpoints
