// The score of one pair, if it was scored as a link or a possible match.
MATCH (a:Customer {uid: $a})-[s:SCORED_LINK|POSSIBLE_MATCH]-(b:Customer {uid: $b})
RETURN type(s) AS type, s.probability AS probability, s.weight AS weight, s.gammas AS gammas,
       s.weights AS weights, s.model_version AS model_version
LIMIT 1
