// Create or replace a segment's definition (JSON, validated before it gets here).
MERGE (s:Segment {name: $segment})
  ON CREATE SET s.created_at = $now, s.created_by = $by
SET s.definition = $definition, s.updated_at = $now, s.updated_by = $by
RETURN s {.name, .definition, .created_at, .updated_at, .refreshed_at} AS segment
