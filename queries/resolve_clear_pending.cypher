UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
REMOVE c.pending
