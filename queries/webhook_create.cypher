CREATE (w:WebhookEndpoint {id: $id, url: $url, types: $types, secret: $secret, cursor: $cursor, attempts: 0,
                           created_at: $now, created_by: $by})
RETURN w.id AS id
