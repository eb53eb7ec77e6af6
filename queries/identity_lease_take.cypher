// Take the lease for a resolution that spans several transactions, when it is free or its owner
// stopped renewing it (crashed). Returns no row when another owner holds it. `crashed` and the
// previous journal tell the new owner what to repair.
MERGE (l:ResolutionLock {name: 'identity'})
SET l.token = coalesce(l.token, 0) + 1
WITH l, l.owner IS NOT NULL AS held, l.journal AS previous
WHERE l.owner IS NULL OR l.expires_at < $now
// A taken-over journal stays until the new holder has repaired what it says (it journals anew).
SET l.owner = $owner, l.expires_at = $expires, l.journal = CASE WHEN held THEN previous ELSE $journal END,
    l.started_at = $now
RETURN l.token AS token, held AS crashed, previous
