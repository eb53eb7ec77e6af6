// Profiles with any granted statement for a purpose and channel (on a record, on the profile, or
// on a profile merged into it): the candidates consent.allowed then decides on, since a later
// withdrawal or a restriction may still rule them out.
CALL () {
  MATCH (:Consent {purpose: $purpose, channel: $channel, status: 'granted'})
        <-[:HAS_CONSENT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
  RETURN p.pid AS pid
  UNION
  MATCH (k:Consent {purpose: $purpose, channel: $channel, status: 'granted'})
  WHERE k.pid IS NOT NULL
  OPTIONAL MATCH (own:Profile {pid: k.pid})
  OPTIONAL MATCH (:ProfileAlias {pid: k.pid})-[:ALIAS_OF]->(survivor:Profile)
  WITH coalesce(own, survivor) AS p
  WHERE p IS NOT NULL
  RETURN p.pid AS pid
}
RETURN collect(DISTINCT pid) AS pids
