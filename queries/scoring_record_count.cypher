// How many records a model could be trained on (auto-training waits for enough of them).
MATCH (c:Customer)
RETURN count(c) AS records
