// The household of each profile, with its members' profiles: a household view needs no second trip.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:IN_HOUSEHOLD]->(h:Household)
CALL (h) {
  MATCH (m:Profile)-[:IN_HOUSEHOLD]->(h)
  WITH m ORDER BY m.pid
  RETURN collect(m {.*}) AS members
}
RETURN pid AS key, h {.*, members: members} AS household
