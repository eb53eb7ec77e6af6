// Earlier change events about an erased person: their profile ids are replaced with the same
// keyed pseudonyms as in resolution history and the audit log. (The erasure's own
// `profile.erased` event, staged after this in the same transaction, names the ids once, so
// consumers holding copies know what to delete; it goes with the outbox's retention.)
MATCH (e:ChangeEvent)
WHERE any(x IN e.profile_ids WHERE x IN $ids)
SET e.profile_id = reduce(s = e.profile_id, r IN $replace | replace(s, r[0], r[1])),
    e.profile_ids = [x IN e.profile_ids | reduce(s = x, r IN $replace | replace(s, r[0], r[1]))],
    e.data = reduce(s = e.data, r IN $replace | replace(s, r[0], r[1]))
RETURN count(e) AS events
