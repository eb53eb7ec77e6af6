// The last write of a full rebuild, a page at a time until none is left: the records it claimed
// (still carrying its token) are done; one a writer changed after the claim says `true` again
// and waits for the next run. By the token's own entries in the `pending` index, so the rebuild
// need not hold its claimed uids.
MATCH (c:Customer)
WHERE c.pending = $token
WITH c LIMIT $limit
REMOVE c.pending
RETURN count(c) AS cleared
