// How many review items are open (the same filter as review_queue).
MATCH (a:Customer)-[s:POSSIBLE_MATCH]->(b:Customer)
WHERE NOT EXISTS { (a)-[:SAME_AS|NOT_SAME_AS]-(b) }
  AND NOT EXISTS { (a)<-[:HAS_RECORD]-(:Profile)-[:HAS_RECORD]->(b) }
RETURN count(s) AS open
