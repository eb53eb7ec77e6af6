// Erasure, after privacy_erase_households: the profiles still in the households the person left
// (each gets a household.changed event in the same transaction).
UNWIND $hids AS hid
MATCH (:Household {hid: hid})<-[:IN_HOUSEHOLD]-(p:Profile)
RETURN hid, p.pid AS pid
ORDER BY hid, pid
