// Append-only: entries are created, never updated (erasure only pseudonymizes them).
CREATE (e:AuditEntry {id: $id, at: $at, actor: $actor, action: $action, target: $target,
                      reason: $reason, details: $details})
RETURN e.id AS id
