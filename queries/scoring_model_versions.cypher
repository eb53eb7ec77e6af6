UNWIND $versions AS version
MATCH (m:MatchModel {version: version})
RETURN m.version AS version, m.json AS json
