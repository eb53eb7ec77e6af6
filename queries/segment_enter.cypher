// Profiles entering a segment: the membership and a change record for the change feed.
MATCH (s:Segment {name: $segment})
UNWIND $pids AS pid
MATCH (p:Profile {pid: pid})
MERGE (p)-[m:IN_SEGMENT]->(s)
  ON CREATE SET m.since = $now
CREATE (:SegmentChange {segment: $segment, pid: pid, kind: 'entry', at: $now})
RETURN count(m) AS entered
