// What a re-clustering keeps from the profiles it touches: their age (the oldest id survives a
// merge) and their processing restriction (it must follow the person's records into a merge
// or a split, never fall away).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
RETURN pid, toString(p.created_at) AS created_at, coalesce(p.restricted, false) AS restricted
