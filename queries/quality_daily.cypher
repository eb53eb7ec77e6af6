// Records first seen and profiles created per day: the growth of the customer base and its duplicate rate.
CALL () {
  MATCH (c:Customer)
  WHERE c.ingested_at IS NOT NULL
  RETURN date(c.ingested_at) AS day, count(*) AS records, 0 AS profiles
  UNION ALL
  MATCH (p:Profile)
  WHERE p.created_at IS NOT NULL
  RETURN date(p.created_at) AS day, 0 AS records, count(*) AS profiles
}
RETURN day, sum(records) AS records, sum(profiles) AS profiles
ORDER BY day DESC
LIMIT $limit
