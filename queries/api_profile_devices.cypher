// Devices used by any record of each profile.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(:Customer)-[:USES_DEVICE]->(d:Device)
WITH DISTINCT pid, d ORDER BY d.uid
RETURN pid AS key, collect(d {.uid, .source, .source_id, .device_type}) AS devices
