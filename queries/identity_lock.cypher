// The single writer of identity: every resolution transaction first write-locks this one node,
// so resolutions in any process queue on Neo4j's own lock and a crash rolls back with them.
// The SET comes first: what is read after it is read under the lock. A lease (owner, expiry)
// is held by a resolution that spans several transactions; the caller backs off while it lives.
MERGE (l:ResolutionLock {name: 'identity'})
SET l.token = coalesce(l.token, 0) + 1
WITH l
RETURN l.token AS token, l.owner AS owner, l.expires_at < $now AS expired
