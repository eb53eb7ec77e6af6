// A crashed resolution's journaled events, staged again by the run that repairs it: only those
// the outbox does not hold yet (the crash may have come after the transaction that numbered
// them), so no event is numbered twice; and only about profiles that exist after the repair
// (it drops profiles the crash left without records: their `created` would tell of nothing).
// `changes_number` follows in the same transaction.
UNWIND $events AS e
WITH e WHERE NOT EXISTS { MATCH (:ChangeEvent {id: e.id}) }
  AND EXISTS { MATCH (:Profile {pid: e.profile_id}) }
CREATE (:ChangeEvent {id: e.id, type: e.type, at: $now, profile_id: e.profile_id,
                      profile_ids: e.profile_ids, fields: e.fields, data: e.data, txn: $txn, seq: e.seq})
RETURN count(*) AS staged
