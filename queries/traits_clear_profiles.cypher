// Refreshed: these profiles are no longer due.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
REMOVE p.traits_pending
RETURN count(p) AS cleared
