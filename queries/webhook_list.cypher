// Endpoints without their secrets, for people; the delivery loop reads webhook_targets.
MATCH (w:WebhookEndpoint)
RETURN w.id AS id, w.url AS url, w.types AS types, w.cursor AS cursor, w.attempts AS attempts,
       w.next_at AS next_at, w.last_error AS last_error, w.created_at AS created_at, w.created_by AS created_by,
       COUNT { MATCH (d:WebhookDeadLetter) WHERE d.endpoint_id = w.id } AS dead_letters
ORDER BY w.created_at, w.id
