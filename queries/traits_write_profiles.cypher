// Trait values on the profile (a null removes the property), with the time of the refresh. With
// $since (a whole-base refresh writing what it read earlier), a profile refreshed after that time
// keeps its fresher traits. Returns each written profile's lifecycle stage before and after.
UNWIND $rows AS r
MATCH (p:Profile {pid: r.pid})
WHERE $since IS NULL OR p.trait_refreshed_at IS NULL OR p.trait_refreshed_at < $since
WITH p, r, p.trait_lifecycle AS previous
SET p += r.props, p.trait_refreshed_at = $now
RETURN p.pid AS pid, previous, p.trait_lifecycle AS stage
