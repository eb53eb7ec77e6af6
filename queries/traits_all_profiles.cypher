MATCH (p:Profile)
RETURN p.pid AS pid
ORDER BY pid
