MATCH (d:WebhookDeadLetter)
WHERE d.id IN $ids OR ($endpoint IS NOT NULL AND d.endpoint_id = $endpoint)
SET d.replay = true
RETURN count(d) AS requested
