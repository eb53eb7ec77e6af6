// A trained scoring model becomes the active one; older versions stay (scored links name
// the version that scored them, so their explanations keep working).
OPTIONAL MATCH (old:MatchModel {active: true})
SET old.active = false
WITH count(*) AS retired
CREATE (m:MatchModel {version: $version, json: $json, definition: $definition, trained_at: $now,
                      records: $records, active: true})
RETURN m.version AS version
