// Which of these profiles are recorded members of the segment (all members when $pids is null).
MATCH (s:Segment {name: $segment})<-[:IN_SEGMENT]-(p:Profile)
WHERE $pids IS NULL OR p.pid IN $pids
RETURN p.pid AS pid
