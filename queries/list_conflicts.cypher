MATCH (p:Profile)
WHERE p.conflicts IS NOT NULL
RETURN p.pid AS pid, p.display_name AS display_name, p.conflicts AS conflicts, p.record_count AS records
ORDER BY pid
LIMIT $limit
