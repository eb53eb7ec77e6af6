// Open review items, most likely first: possible matches not yet decided by a steward and not
// already joined by other evidence. Keyset paging on (probability desc, a, b).
MATCH (a:Customer)-[s:POSSIBLE_MATCH]->(b:Customer)
WHERE (s.probability < $probability
       OR (s.probability = $probability AND (a.uid > $a OR (a.uid = $a AND b.uid > $b))))
  AND NOT EXISTS { (a)-[:SAME_AS|NOT_SAME_AS]-(b) }
  AND NOT EXISTS { (a)<-[:HAS_RECORD]-(:Profile)-[:HAS_RECORD]->(b) }
RETURN a.uid AS a, b.uid AS b, s.probability AS probability, s.weight AS weight, s.gammas AS gammas,
       s.weights AS weights, s.model_version AS model_version
ORDER BY probability DESC, a, b
LIMIT $limit
