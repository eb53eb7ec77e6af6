// Audit entries stay (who did what, when) but name the person only by a keyed hash.
MATCH (e:AuditEntry)
WHERE any(t IN e.target WHERE t IN $ids)
   OR any(t IN $match WHERE e.reason CONTAINS t OR e.details CONTAINS t)
SET e.target = [t IN e.target | reduce(s = t, r IN $replace | replace(s, r[0], r[1]))],
    e.reason = reduce(s = e.reason, r IN $replace | replace(s, r[0], r[1])),
    e.details = reduce(s = e.details, r IN $replace | replace(s, r[0], r[1])),
    e.scrubbed_at = $now
RETURN count(e) AS entries
