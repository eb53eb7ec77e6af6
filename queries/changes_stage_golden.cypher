// Runs before resolve_upsert_profiles in the same transaction: which golden fields of existing
// profiles the upsert is about to change (names only, never values). New profiles are absent.
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS r
MATCH (p:Profile {pid: r.pid})
WITH i, r, [f IN $fields WHERE coalesce(p[f] <> r.props[f], (p[f] IS NULL) <> (r.props[f] IS NULL))] AS changed
WHERE size(changed) > 0
CREATE (:ChangeEvent {id: randomUUID(), type: 'profile.golden_changed', at: $now, profile_id: r.pid,
                      profile_ids: [r.pid], fields: changed, data: null, txn: $txn, seq: $seq + i})
RETURN count(*) AS staged
