// A profile id or a merged-away alias of one -> the live profile id (null if unknown).
OPTIONAL MATCH (p:Profile {pid: $pid})
OPTIONAL MATCH (:ProfileAlias {pid: $pid})-[:ALIAS_OF]->(s:Profile)
RETURN coalesce(p.pid, s.pid) AS pid
