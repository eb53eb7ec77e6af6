// The household of each profile.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:IN_HOUSEHOLD]->(h:Household)
RETURN pid AS key, h {.*} AS household
