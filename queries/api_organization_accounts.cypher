// Accounts of organizations: held by the organization itself, or by its people (with their role).
UNWIND $uids AS uid
MATCH (o:Organization {uid: uid})
CALL (o) {
  MATCH (o)-[h:HOLDS]->(a:Account)
  RETURN a, h.role AS role, null AS profile_id
  UNION
  MATCH (o)<-[:WORKS_AT|MEMBER_OF]-(c:Customer)-[h:HOLDS]->(a:Account)
  OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
  RETURN a, h.role AS role, p.pid AS profile_id
}
WITH uid, a, role, profile_id ORDER BY a.uid, profile_id
RETURN uid AS key, collect({account: a {.uid, .source, .source_id, .account_type}, role: role, profile_id: profile_id}) AS holdings
