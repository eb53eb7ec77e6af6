// Pairs above the link threshold: evidence that resolution uses like a strong identifier.
UNWIND $rows AS p
MATCH (a:Customer {uid: p.a})
MATCH (b:Customer {uid: p.b})
MERGE (a)-[s:SCORED_LINK]->(b)
SET s.probability = p.probability, s.weight = p.weight, s.gammas = p.gammas, s.weights = p.weights,
    s.model_version = $version, s.at = $now
RETURN count(s) AS written
