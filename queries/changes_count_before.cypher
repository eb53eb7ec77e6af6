MATCH (e:ChangeEvent)
WHERE e.at < $cutoff
RETURN count(e) AS events
