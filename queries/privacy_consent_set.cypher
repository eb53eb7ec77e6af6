// A consent statement made through c360 (steward, admin): kept by profile id, so it is found
// again through the alias when the profile is merged into another.
MATCH (p:Profile {pid: $pid})
CREATE (k:Consent {uid: $uid, pid: p.pid, purpose: $purpose, channel: $channel, status: $status,
                   at: $at, recorded_at: $now, source: $source, evidence: $evidence, by: $by})
RETURN k.uid AS uid
