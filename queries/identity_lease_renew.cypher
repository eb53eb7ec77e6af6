// Heartbeat and fence of a lease holder: extends the lease only while it still holds it (an expired
// lease may already be another's, and the holder must stop writing), and
// write-locks the lock node, so a micro-batch cannot interleave with this transaction.
MATCH (l:ResolutionLock {name: 'identity'})
WHERE l.owner = $owner AND l.expires_at >= $now
SET l.expires_at = $expires
RETURN count(l) AS held
