// Accounts by uid with their holders' profiles and roles.
UNWIND $uids AS uid
MATCH (a:Account {uid: uid})
OPTIONAL MATCH (a)<-[h:HOLDS]-(c:Customer)
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
WITH uid, a, h, p ORDER BY p.pid
RETURN uid AS key, a {.uid, .source, .source_id, .account_type} AS account,
       [x IN collect({role: h.role, profile_id: p.pid}) WHERE x.profile_id IS NOT NULL] AS holders
