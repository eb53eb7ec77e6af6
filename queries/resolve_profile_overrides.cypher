UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})-[:HAS_OVERRIDE]->(o:GoldenOverride)
RETURN pid, o.field AS field, o.value AS value, o.by AS by, toString(o.at) AS at, o.reason AS reason
