// Profiles that no longer have household evidence leave their household; empty ones go.
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})-[x:IN_HOUSEHOLD]->(h:Household)
DELETE x
WITH DISTINCT h
WHERE NOT EXISTS { (h)<-[:IN_HOUSEHOLD]-() }
DELETE h
