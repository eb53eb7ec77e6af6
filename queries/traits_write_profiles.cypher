// Trait values on the profile (a null removes the property), with the time of the refresh. With
// $since (a whole-base refresh writing what it read earlier), a profile refreshed after that time
// keeps its fresher traits. With $clear the written profiles are no longer due (traits_pending
// removed in the same statement). Returns, in one row, the profiles whose lifecycle stage moved
// (before and after): one Bolt message instead of one per profile.
UNWIND $rows AS r
MATCH (p:Profile {pid: r.pid})
WHERE $since IS NULL OR p.trait_refreshed_at IS NULL OR p.trait_refreshed_at < $since
WITH p, r, p.trait_lifecycle AS previous
SET p += r.props, p.trait_refreshed_at = $now
FOREACH (_ IN CASE WHEN $clear THEN [1] ELSE [] END | REMOVE p.traits_pending)
WITH p, previous, p.trait_lifecycle AS stage
WHERE (previous IS NULL) <> (stage IS NULL) OR previous <> stage
RETURN collect({pid: p.pid, previous: previous, stage: stage}) AS moves
