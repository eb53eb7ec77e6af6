MATCH (p:Profile {pid: $pid})
SET p.restricted = true, p.restricted_at = $now, p.restricted_by = $by
RETURN p.pid AS pid
