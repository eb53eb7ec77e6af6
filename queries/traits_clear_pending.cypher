UNWIND $uids AS uid
MATCH (t:Touchpoint {uid: uid})
REMOVE t.traits_pending
RETURN count(t) AS cleared
