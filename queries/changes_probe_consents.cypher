// A load, after privacy_merge_consents and privacy_merge_has_consent in the same transaction:
// the consent statements this batch wrote (loaded_at = its $now; unchanged or older versions
// are left as they were) about records that have a profile.
UNWIND $uids AS uid
MATCH (n:Consent {uid: uid})
  WHERE n.loaded_at = $now
MATCH (n)<-[:HAS_CONSENT]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
RETURN DISTINCT p.pid AS pid, n.purpose AS purpose, n.channel AS channel, n.status AS status
ORDER BY pid, purpose, channel, status
