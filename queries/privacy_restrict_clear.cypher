// Cleared by removing the flag: readers test `restricted IS NULL`.
MATCH (p:Profile {pid: $pid})
REMOVE p.restricted, p.restricted_at, p.restricted_by
RETURN p.pid AS pid
