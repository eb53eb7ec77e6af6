// Before these records are scored again: their scored links and open review items go.
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})-[r:SCORED_LINK|POSSIBLE_MATCH]-(:Customer)
DELETE r
RETURN count(r) AS deleted
