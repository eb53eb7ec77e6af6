UNWIND $uids AS uid
OPTIONAL MATCH (c:Customer {uid: uid})
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
RETURN uid, c IS NOT NULL AS exists, p.pid AS pid
