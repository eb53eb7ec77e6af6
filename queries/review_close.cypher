// A steward decided the pair: the review item goes (the SAME_AS / NOT_SAME_AS edge and the
// audit log keep the decision).
MATCH (:Customer {uid: $a})-[s:POSSIBLE_MATCH]-(:Customer {uid: $b})
DELETE s
RETURN count(s) AS closed
