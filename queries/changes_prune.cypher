// Retention: events older than the cutoff go, in bounded transactions. The counter stays, so
// positions keep increasing after a prune.
MATCH (e:ChangeEvent)
WHERE e.at < $cutoff
CALL (e) { DELETE e } IN TRANSACTIONS OF 10000 ROWS
