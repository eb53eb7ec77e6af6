MATCH (d:WebhookDeadLetter {id: $id})
SET d.replay = false, d.attempts = d.attempts + 1, d.last_error = $error, d.at = $now
RETURN d.id AS id
