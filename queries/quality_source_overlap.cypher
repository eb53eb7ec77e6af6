// Profiles per combination of sources their records come from, the most common first.
MATCH (p:Profile)
RETURN p.sources AS sources, count(*) AS profiles
ORDER BY profiles DESC, size(sources) DESC
LIMIT $limit
