MATCH (l:ResolutionLock {name: 'identity'})
WHERE l.owner = $owner
REMOVE l.owner, l.expires_at, l.journal, l.started_at
RETURN count(l) AS released
