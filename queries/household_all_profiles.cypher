MATCH (p:Profile)
RETURN p.pid AS pid
