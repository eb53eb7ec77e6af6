// The last committed position (0 before the first event).
OPTIONAL MATCH (c:ChangeCounter {name: 'outbox'})
RETURN coalesce(c.position, 0) AS position
