// Resolution history of each profile (create, merge, split, link, unlink), newest first.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_EVENT]->(e:ResolutionEvent)
WITH pid, e ORDER BY e.at DESC, e.eid
RETURN pid AS key, collect(e {.*}) AS events
