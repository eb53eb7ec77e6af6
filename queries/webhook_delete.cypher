MATCH (w:WebhookEndpoint {id: $id})
OPTIONAL MATCH (d:WebhookDeadLetter {endpoint_id: $id})
DETACH DELETE d
WITH DISTINCT w
DETACH DELETE w
RETURN count(*) AS deleted
