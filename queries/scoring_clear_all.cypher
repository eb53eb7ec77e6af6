// A full re-score starts from nothing; deleted in slices so one transaction stays small.
MATCH (:Customer)-[r:SCORED_LINK|POSSIBLE_MATCH]->(:Customer)
WITH r LIMIT $limit
DELETE r
RETURN count(r) AS deleted
