// Resolution history of other profiles that names the person: their record and profile ids
// leave the lists, and their ids, identifiers and names are replaced in the reason text.
MATCH (e:ResolutionEvent)
WHERE any(u IN e.records WHERE u IN $ids)
   OR any(x IN e.from_pids WHERE x IN $ids)
   OR any(t IN $match WHERE e.reason CONTAINS t)
SET e.records = [u IN e.records WHERE NOT u IN $ids],
    e.from_pids = [x IN e.from_pids WHERE NOT x IN $ids],
    e.reason = reduce(s = e.reason, r IN $replace | replace(s, r[0], r[1])),
    e.scrubbed_at = $now
RETURN count(e) AS events
