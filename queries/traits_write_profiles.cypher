// Trait values on the profile (a null removes the property), with the time of the refresh.
UNWIND $rows AS r
MATCH (p:Profile {pid: r.pid})
SET p += r.props, p.trait_refreshed_at = $now
RETURN count(p) AS written
