// Source records of profiles, for the records loader.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(c:Customer)
WITH pid, c ORDER BY c.source, c.uid
RETURN pid AS key, collect(c {.*}) AS records
