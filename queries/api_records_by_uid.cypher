// Source records by uid, each with the profile that holds it.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN uid AS key, c {.*, profile_id: p.pid} AS record
