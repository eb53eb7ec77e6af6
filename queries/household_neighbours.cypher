// Profiles that share weak evidence or a household with the given ones.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'address'})
        <-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
  WHERE COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $address_cap
  RETURN q.pid AS other
  UNION
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:USES_DEVICE]->(d:Device)<-[:USES_DEVICE]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
  WHERE COUNT { (d)<-[:USES_DEVICE]-() } <= $device_cap
  RETURN q.pid AS other
  UNION
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HOLDS]->(a:Account)<-[:HOLDS]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
  WHERE COUNT { (a)<-[:HOLDS]-() } <= $account_cap
  RETURN q.pid AS other
  UNION
  MATCH (p)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(q:Profile)
  RETURN q.pid AS other
}
RETURN collect(DISTINCT other) AS others
