// The lease holder's intent (mode, profiles it is about to retire), for whoever repairs a crash.
MATCH (l:ResolutionLock {name: 'identity'})
WHERE l.owner = $owner
SET l.journal = $journal
RETURN count(l) AS held
