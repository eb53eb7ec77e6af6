// Households the person left: new size, no address that was only theirs, gone when empty.
UNWIND $hids AS hid
MATCH (h:Household {hid: hid})
WITH h, COUNT { (h)<-[:IN_HOUSEHOLD]-() } AS size
SET h.size = size,
    h.address = CASE WHEN h.address IN $keys THEN null ELSE h.address END
WITH h
WHERE h.size = 0
DETACH DELETE h
RETURN count(*) AS removed
