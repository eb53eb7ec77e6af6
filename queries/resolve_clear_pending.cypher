// The last write of a run: only records still carrying this run's token are done; one a writer
// changed after the claim says `true` again and waits for the next run.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
WHERE c.pending = $token
REMOVE c.pending
