// Pairs in the grey zone wait for a steward; a pair a steward already decided never returns.
UNWIND $rows AS p
MATCH (a:Customer {uid: p.a})
MATCH (b:Customer {uid: p.b})
WHERE NOT EXISTS { (a)-[:SAME_AS|NOT_SAME_AS]-(b) }
MERGE (a)-[s:POSSIBLE_MATCH]->(b)
SET s.probability = p.probability, s.weight = p.weight, s.gammas = p.gammas, s.weights = p.weights,
    s.model_version = $version, s.at = $now
RETURN count(s) AS written
