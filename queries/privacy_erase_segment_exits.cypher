// An erased profile leaves its segments, recorded like any exit (its id is pseudonymized by
// privacy_erase_segment_changes in the same transaction, so the record links back to nobody).
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[m:IN_SEGMENT]->(s:Segment)
CREATE (:SegmentChange {segment: s.name, pid: pid, kind: 'exit', at: $now, erased: true})
DELETE m
RETURN count(*) AS exited
