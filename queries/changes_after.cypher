// A page of committed events after a position, oldest first. `hide_restricted` (the app role)
// leaves out events about profiles that are restricted now.
MATCH (e:ChangeEvent)
WHERE e.position > $after
  AND ($types IS NULL OR e.type IN $types)
  AND ($pid IS NULL OR $pid IN e.profile_ids)
  AND (NOT $hide_restricted OR NOT EXISTS { MATCH (p:Profile {pid: e.profile_id}) WHERE p.restricted })
WITH e ORDER BY e.position
LIMIT $first
RETURN e.id AS id, e.position AS position, e.type AS type, e.at AS at, e.profile_id AS profile_id,
       e.profile_ids AS profile_ids, e.fields AS fields, e.data AS data
