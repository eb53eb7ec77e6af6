// Every consent statement about each profile: loaded on its records, or set on the profile
// or on a profile since merged into it (an alias).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
CALL (p) {
  MATCH (p)-[:HAS_RECORD]->(:Customer)-[:HAS_CONSENT]->(k:Consent)
  RETURN k
  UNION
  MATCH (k:Consent {pid: p.pid})
  RETURN k
  UNION
  MATCH (a:ProfileAlias)-[:ALIAS_OF]->(p)
  MATCH (k:Consent {pid: a.pid})
  RETURN k
}
RETURN p.pid AS pid, coalesce(p.restricted, false) AS restricted, k.uid AS uid, k.purpose AS purpose,
       k.channel AS channel, k.status AS status, k.at AS at, coalesce(k.recorded_at, k.loaded_at) AS recorded_at,
       k.source AS source, k.evidence AS evidence, k.by AS by
