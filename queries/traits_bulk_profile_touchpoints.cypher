// Each profile's touchpoints, once each however many of its records share them (what traits are
// computed from), with the text of those in the person's own words that have no sentiment score
// yet: a refresh walks each profile once. A time at UTC comes as epoch seconds and nanoseconds
// (`at` null): the driver turns a DateTime into Python at ~10 µs apiece, a third of the
// refresh's Python time; any other time comes as it is. The profiles come in one row (one Bolt
// message, not one per profile).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
  WITH DISTINCT t
  WITH t, t.at IS :: ZONED DATETIME AND t.at.timezone = 'Z' AS utc
  RETURN collect(t {.uid, .channel, .type, .amount, .currency, .sentiment_score,
                    at: CASE WHEN utc THEN null ELSE t.at END,
                    at_s: CASE WHEN utc THEN t.at.epochSeconds END,
                    at_ns: CASE WHEN utc THEN t.at.nanosecond END,
                    text: CASE
                      WHEN t.channel IN $channels AND t.sentiment_score IS NULL
                           AND (t.subject IS NOT NULL OR t.text IS NOT NULL)
                      THEN trim(coalesce(t.subject, '') + '. ' + coalesce(t.text, ''))
                    END}) AS touchpoints
}
RETURN collect({pid: pid, touchpoints: touchpoints}) AS profiles
