// Accounts held by any record of each profile, with the holder's role.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(c:Customer)-[h:HOLDS]->(a:Account)
WITH pid, a, collect(DISTINCT h.role) AS roles ORDER BY a.uid
RETURN pid AS key, collect({account: a {.uid, .source, .source_id, .account_type}, role: roles[0], profile_id: pid}) AS holdings
