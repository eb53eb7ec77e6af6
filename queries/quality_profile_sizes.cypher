// How many records profiles have (1, 2, ... and `$cap` or more in one bucket).
MATCH (p:Profile)
WITH CASE WHEN p.record_count >= $cap THEN $cap ELSE p.record_count END AS size
RETURN size, count(*) AS profiles
ORDER BY size
