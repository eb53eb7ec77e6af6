UNWIND $pids AS pid
OPTIONAL MATCH (p:Profile {pid: pid})
OPTIONAL MATCH (a:ProfileAlias {pid: pid})
WITH pid, p, a
WHERE p IS NOT NULL OR a IS NOT NULL
RETURN collect(pid) AS taken
