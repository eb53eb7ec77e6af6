// Profiles leaving a segment (a merged-away profile leaves with its node, recorded here too).
UNWIND $pids AS pid
OPTIONAL MATCH (:Profile {pid: pid})-[m:IN_SEGMENT]->(:Segment {name: $segment})
DELETE m
CREATE (:SegmentChange {segment: $segment, pid: pid, kind: 'exit', at: $now})
RETURN count(*) AS exited
