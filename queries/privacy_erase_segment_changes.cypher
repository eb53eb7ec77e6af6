// Segment entries and exits that name an erased person's profile ids (as the member or as the
// survivor of a merge) name the same keyed pseudonym as resolution history and the change feed
// instead: counts over time stay right, and nothing links back to the person. Exact matches
// only ($replace holds [id, pseudonym] pairs among others).
CALL () {
  MATCH (c:SegmentChange)
  WHERE c.pid IN $ids
  SET c.pid = coalesce(head([r IN $replace WHERE r[0] = c.pid | r[1]]), c.pid), c.scrubbed_at = $now
  RETURN count(c) AS members
}
CALL () {
  MATCH (c:SegmentChange)
  WHERE c.merged_into IN $ids
  SET c.merged_into = coalesce(head([r IN $replace WHERE r[0] = c.merged_into | r[1]]), c.merged_into),
      c.scrubbed_at = $now
  RETURN count(c) AS survivors
}
RETURN members + survivors AS changes
