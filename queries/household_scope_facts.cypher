// One step of a household re-computation's scope: the weak evidence of these profiles, exactly
// as household_facts reads it, and in `reach` the profiles that share weak evidence or a
// household with them (as household_neighbours did): each profile is read once, and the
// profiles come in one row (one Bolt message, not one per profile).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h:Household)
RETURN collect({pid: p.pid, last_name: p.last_name, hid: h.hid, created_at: toString(p.created_at),
       addresses: [(p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'address'})
          WHERE COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $address_cap | i.key],
       devices: [(p)-[:HAS_RECORD]->(:Customer)-[:USES_DEVICE]->(d:Device)
          WHERE COUNT { (d)<-[:USES_DEVICE]-() } <= $device_cap | d.uid],
       accounts: [(p)-[:HAS_RECORD]->(:Customer)-[:HOLDS]->(a:Account)
          WHERE COUNT { (a)<-[:HOLDS]-() } <= $account_cap | a.uid],
       reach: [(p)-[:HAS_RECORD]->(:Customer)-[:HAS_IDENTIFIER]->(i:Identifier {kind: 'address'})
                 <-[:HAS_IDENTIFIER]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
                 WHERE COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $address_cap | q.pid]
            + [(p)-[:HAS_RECORD]->(:Customer)-[:USES_DEVICE]->(d:Device)<-[:USES_DEVICE]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
                 WHERE COUNT { (d)<-[:USES_DEVICE]-() } <= $device_cap | q.pid]
            + [(p)-[:HAS_RECORD]->(:Customer)-[:HOLDS]->(a:Account)<-[:HOLDS]-(:Customer)<-[:HAS_RECORD]-(q:Profile)
                 WHERE COUNT { (a)<-[:HOLDS]-() } <= $account_cap | q.pid]
            + [(p)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(q:Profile) | q.pid]}) AS profiles
