// A deleted segment's members all exit (recorded), then the segment and its memberships go.
MATCH (s:Segment {name: $segment})
OPTIONAL MATCH (s)<-[:IN_SEGMENT]-(p:Profile)
WITH s, collect(p.pid) AS pids
FOREACH (pid IN pids | CREATE (:SegmentChange {segment: s.name, pid: pid, kind: 'exit', at: $now}))
DETACH DELETE s
RETURN size(pids) AS exited, pids
