MATCH (w:WebhookEndpoint)
RETURN w.id AS id, w.url AS url, w.types AS types, w.secret AS secret, w.cursor AS cursor,
       w.attempts AS attempts, w.next_at AS next_at
ORDER BY w.id
