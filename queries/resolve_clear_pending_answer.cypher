// The last write of a micro-batch, with its answer: only records still carrying this run's token
// are done (one a writer changed after the claim says `true` again and waits for the next run);
// then the profile of each of $answer, final because the identity lock is held.
CALL () {
  UNWIND $uids AS uid
  MATCH (c:Customer {uid: uid})
  USING INDEX c:Customer(uid)
  WHERE c.pending = $token
  REMOVE c.pending
}
WITH 1 AS done
UNWIND $answer AS uid
OPTIONAL MATCH (:Customer {uid: uid})<-[:HAS_RECORD]-(p:Profile)
RETURN uid, p.pid AS pid
