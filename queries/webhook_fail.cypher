MATCH (w:WebhookEndpoint {id: $id})
SET w.attempts = $attempts, w.next_at = $next_at, w.last_error = $error
RETURN w.attempts AS attempts
