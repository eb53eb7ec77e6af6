// Heartbeat and fence of a lease holder: extends the lease only while it is still the owner (an
// abandoned lease changes owner when someone takes it over, and from then on the old holder's
// writes are refused), and write-locks the lock node, so a micro-batch cannot interleave.
MATCH (l:ResolutionLock {name: 'identity'})
WHERE l.owner = $owner
SET l.expires_at = $expires
RETURN count(l) AS held
