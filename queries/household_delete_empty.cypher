// Households of this run left without members (after merges, splits or moves) go away. Only
// the given ones are checked, so an incremental run never scans every household.
UNWIND $hids AS hid
MATCH (h:Household {hid: hid})
WHERE NOT EXISTS { (h)<-[:IN_HOUSEHOLD]-() }
DETACH DELETE h
