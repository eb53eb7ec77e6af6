// A page of a segment's materialized members in pid order; restricted profiles never show.
MATCH (s:Segment {name: $segment})<-[:IN_SEGMENT]-(p:Profile)
WHERE p.restricted IS NULL AND ($after IS NULL OR p.pid > $after)
RETURN p.pid AS pid
ORDER BY pid
LIMIT $limit
