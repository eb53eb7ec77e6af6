// Weak evidence per profile: its addresses (under the address cap), the devices and accounts
// its records use, its golden surname and current household.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h:Household)
RETURN p.pid AS pid, p.last_name AS last_name, h.hid AS hid, toString(p.created_at) AS created_at,
       [(p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'address'})
          WHERE COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $address_cap | i.key] AS addresses,
       [(p)-[:HAS_RECORD]->(:Customer)-[:USES_DEVICE]->(d:Device)
          WHERE COUNT { (d)<-[:USES_DEVICE]-() } <= $device_cap | d.uid] AS devices,
       [(p)-[:HAS_RECORD]->(:Customer)-[:HOLDS]->(a:Account)
          WHERE COUNT { (a)<-[:HOLDS]-() } <= $account_cap | a.uid] AS accounts
