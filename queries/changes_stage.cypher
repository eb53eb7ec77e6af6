// Events of the current transaction, not yet numbered: `changes_number` (the transaction's last
// statement) gives them their positions. Uncommitted, they are visible to no reader.
UNWIND $events AS e
CREATE (:ChangeEvent {id: e.id, type: e.type, at: $now, profile_id: e.profile_id,
                      profile_ids: e.profile_ids, fields: e.fields, data: e.data, txn: $txn, seq: e.seq})
RETURN count(*) AS staged
