// The fitted trait model (configuration, RFM cut points, CLV parameters) as one JSON document.
MERGE (m:TraitModel {name: $model})
SET m.body = $body, m.fitted_at = $now
RETURN m.name AS name
