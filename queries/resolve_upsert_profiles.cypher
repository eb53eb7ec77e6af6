UNWIND $rows AS r
MERGE (p:Profile {pid: r.pid})
  ON CREATE SET p.created_at = $now
// A custom attribute no record of the profile has any more leaves the profile.
FOREACH (k IN [k IN keys(p) WHERE k STARTS WITH 'attr_' AND NOT k IN keys(r.props)] | SET p[k] = null)
SET p += r.props, p.updated_at = $now
// $due (an incremental run): its traits and segment membership are due, marked in this same
// statement and transaction, so never lost; a rebuild leaves that to its own refresh.
SET p.traits_pending = CASE WHEN $due THEN true ELSE p.traits_pending END
RETURN count(p) AS written
