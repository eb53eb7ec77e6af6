// Profiles holding one normalized identifier, busiest first (a shared identifier may reach several).
MATCH (:Identifier {key: $key})<-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
WITH p, count(*) AS records
ORDER BY records DESC, p.pid
RETURN p {.*} AS profile
