UNWIND $rows AS r
MERGE (p:Profile {pid: r.pid})
  ON CREATE SET p.created_at = $now
// A custom attribute no record of the profile has any more leaves the profile.
FOREACH (k IN [k IN keys(p) WHERE k STARTS WITH 'attr_' AND NOT k IN keys(r.props)] | SET p[k] = null)
SET p += r.props, p.updated_at = $now
RETURN count(p) AS written
