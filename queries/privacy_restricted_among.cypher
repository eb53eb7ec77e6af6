UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
WHERE p.restricted = true
RETURN collect(p.pid) AS pids
