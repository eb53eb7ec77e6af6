UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
SET c.pending = true
RETURN count(c) AS marked
