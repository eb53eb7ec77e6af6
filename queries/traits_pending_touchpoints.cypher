// Touchpoints written or linked since the last trait refresh, with the profiles they feed.
MATCH (t:Touchpoint)
WHERE t.traits_pending = true
WITH t LIMIT $limit
OPTIONAL MATCH (t)<-[:HAD_TOUCHPOINT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
RETURN t.uid AS uid, collect(DISTINCT p.pid) AS pids
