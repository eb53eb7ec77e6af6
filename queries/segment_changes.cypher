MATCH (c:SegmentChange)
WHERE c.segment = $segment AND c.at >= $since
RETURN c.pid AS pid, c.kind AS kind, c.at AS at
ORDER BY at, pid
