// Append-only: entries are created, never updated (erasure only pseudonymizes them). Several
// at once when concurrent API requests each add the entry of their personal-data reads.
UNWIND $entries AS entry
CREATE (e:AuditEntry {id: entry.id, at: entry.at, actor: entry.actor, action: entry.action,
                      target: entry.target, reason: entry.reason, details: entry.details})
RETURN e.id AS id
