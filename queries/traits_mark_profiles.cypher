// Resolution wrote these profiles (new members, a merge, a split, changed records): their traits
// and segment membership are due. Marked in the resolution's own transaction, so never lost.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
SET p.traits_pending = true
RETURN count(p) AS marked
