MATCH (d:WebhookDeadLetter)
WHERE $endpoint IS NULL OR d.endpoint_id = $endpoint
RETURN d.id AS id, d.endpoint_id AS endpoint_id, d.event_id AS event_id, d.position AS position, d.type AS type,
       d.attempts AS attempts, d.last_error AS last_error, d.at AS at, d.replay AS replay
ORDER BY d.position, d.endpoint_id
