MATCH (s:Segment {name: $segment})
SET s.refreshed_at = $now
RETURN s.name AS name
