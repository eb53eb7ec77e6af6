// Households left without members (after merges, splits or moves) go away.
MATCH (h:Household)
WHERE NOT EXISTS { (h)<-[:IN_HOUSEHOLD]-() }
DETACH DELETE h
