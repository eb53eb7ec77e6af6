// Delivered (or not for this endpoint) up to $position: the cursor only moves forward.
MATCH (w:WebhookEndpoint {id: $id})
WHERE w.cursor < $position
SET w.cursor = $position, w.attempts = 0, w.next_at = null, w.last_error = null
RETURN w.cursor AS cursor
