UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
RETURN pid, toString(p.created_at) AS created_at
