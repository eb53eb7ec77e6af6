MATCH (s:Segment)
WHERE $segment IS NULL OR s.name = $segment
RETURN s {.name, .definition, .created_at, .updated_at, .refreshed_at,
          size: COUNT { (s)<-[:IN_SEGMENT]-(p:Profile) WHERE p.restricted IS NULL }} AS segment
ORDER BY s.name
