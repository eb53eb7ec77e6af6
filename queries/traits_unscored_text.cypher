// Touchpoints in the person's own words (tickets, feedback) that have no sentiment score yet.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(:Customer)-[:HAD_TOUCHPOINT]->(t:Touchpoint)
WHERE t.channel IN $channels AND t.sentiment_score IS NULL
  AND (t.subject IS NOT NULL OR t.text IS NOT NULL)
WITH DISTINCT t
RETURN t.uid AS uid, trim(coalesce(t.subject, '') + '. ' + coalesce(t.text, '')) AS text
