// The last write of a run: only records still carrying this run's token are done; one a writer
// changed after the claim says `true` again and waits for the next run. The hint: with a
// token to compare, the planner scanned the `pending` index once per uid (quadratic in the backlog:
// 1.1 s for 1,000 records on a 1M graph), not the uid seek.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
USING INDEX c:Customer(uid)
WHERE c.pending = $token
REMOVE c.pending
