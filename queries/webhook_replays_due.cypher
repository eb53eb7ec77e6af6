// Dead letters a person asked to replay, with what the delivery needs. An event pruned since
// comes back with event_position null: it cannot be sent again.
MATCH (d:WebhookDeadLetter {replay: true})
MATCH (w:WebhookEndpoint {id: d.endpoint_id})
OPTIONAL MATCH (e:ChangeEvent {id: d.event_id})
RETURN d.id AS id, d.attempts AS attempts, w.id AS endpoint_id, w.url AS url, w.secret AS secret,
       e.id AS event_id, e.position AS position, e.type AS type, e.at AS at, e.profile_id AS profile_id,
       e.profile_ids AS profile_ids, e.fields AS fields, e.data AS data
ORDER BY d.position
LIMIT $first
