// These profiles' traits and segment membership are due (a steward's golden override changed
// what segments see). Marked in the change's own transaction, so never lost; resolution marks
// the profiles it writes in its upsert instead (`resolve_upsert_profiles` $due).
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
SET p.traits_pending = true
RETURN count(p) AS marked
