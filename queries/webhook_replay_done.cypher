MATCH (d:WebhookDeadLetter {id: $id})
DELETE d
RETURN count(*) AS done
