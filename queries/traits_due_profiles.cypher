// Profiles whose traits are due (marked by resolution, touchpoints or retention), beyond $skip.
MATCH (p:Profile)
WHERE p.traits_pending = true AND NOT p.pid IN $skip
RETURN p.pid AS pid
LIMIT $limit
