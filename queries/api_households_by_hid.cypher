// Households by id, with their members' profiles.
UNWIND $hids AS hid
MATCH (h:Household {hid: hid})
CALL (h) {
  MATCH (m:Profile)-[:IN_HOUSEHOLD]->(h)
  WITH m ORDER BY m.pid
  RETURN collect(m {.*}) AS members
}
RETURN hid AS key, h {.*, members: members} AS household
