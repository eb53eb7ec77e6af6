// Households by id with their member profile ids.
UNWIND $hids AS hid
MATCH (h:Household {hid: hid})
OPTIONAL MATCH (p:Profile)-[:IN_HOUSEHOLD]->(h)
WITH hid, h, p ORDER BY p.pid
WITH hid, h, collect(p.pid) AS members
RETURN hid AS key, h {.*, members: members} AS household
