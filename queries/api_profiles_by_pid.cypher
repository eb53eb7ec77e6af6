// Profiles by id for the profile loader; a merged-away id (ProfileAlias) resolves to its survivor.
UNWIND $pids AS pid
OPTIONAL MATCH (p:Profile {pid: pid})
OPTIONAL MATCH (:ProfileAlias {pid: pid})-[:ALIAS_OF]->(survivor:Profile)
WITH pid, coalesce(p, survivor) AS p
WHERE p IS NOT NULL
RETURN pid AS key, p {.*} AS profile
