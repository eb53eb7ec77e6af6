// Every scored pair (to compare an incremental score with a full one, and for the bench).
MATCH (a:Customer)-[s:SCORED_LINK|POSSIBLE_MATCH]->(b:Customer)
RETURN a.uid AS a, b.uid AS b, type(s) AS type, s.probability AS probability, s.gammas AS gammas
ORDER BY a, b
