// Gave up on one event for one endpoint: keep it (visible, replayable) and move past it.
MATCH (w:WebhookEndpoint {id: $endpoint})
CREATE (d:WebhookDeadLetter {id: $id, endpoint_id: $endpoint, event_id: $event_id, position: $position,
                             type: $type, attempts: $attempts, last_error: $error, at: $now, replay: false})
SET w.cursor = $position, w.attempts = 0, w.next_at = null, w.last_error = $error
RETURN d.id AS id
