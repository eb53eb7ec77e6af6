// Profiles that no longer have household evidence leave their household (household_delete_empty,
// in the same run, removes it if they were its last members).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})-[x:IN_HOUSEHOLD]->(:Household)
DELETE x
