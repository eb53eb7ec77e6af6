// An action filter matches the action itself and its sub-actions ("steward" finds "steward.link").
MATCH (e:AuditEntry)
WHERE ($since IS NULL OR e.at >= $since)
  AND ($actor IS NULL OR e.actor = $actor)
  AND ($action IS NULL OR e.action = $action OR e.action STARTS WITH $action + '.')
  AND ($subjects IS NULL OR any(t IN e.target WHERE t IN $subjects))
RETURN e {.id, .at, .actor, .action, .target, .reason, .details} AS entry
ORDER BY e.at, e.id
LIMIT $limit
