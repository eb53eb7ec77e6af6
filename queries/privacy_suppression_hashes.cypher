MATCH (s:Suppression)
RETURN collect(s.hash) AS hashes
