// Profiles left without records (their records were erased or re-assigned) go away.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
WHERE NOT EXISTS { (p)-[:HAS_RECORD]->() }
DETACH DELETE p
