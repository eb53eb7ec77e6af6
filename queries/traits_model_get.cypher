OPTIONAL MATCH (m:TraitModel {name: $model})
RETURN m.body AS body, m.fitted_at AS fitted_at
