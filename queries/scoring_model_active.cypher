MATCH (m:MatchModel {active: true})
RETURN m.version AS version, m.json AS json, m.definition AS definition, toString(m.trained_at) AS trained_at,
       m.records AS records
ORDER BY m.trained_at DESC
LIMIT 1
