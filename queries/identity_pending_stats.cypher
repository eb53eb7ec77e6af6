// Queue depth and lag of the write path, for /metrics and back-pressure.
MATCH (c:Customer)
WHERE c.pending IS NOT NULL
RETURN count(c) AS pending, min(coalesce(c.loaded_at, c.ingested_at)) AS oldest
