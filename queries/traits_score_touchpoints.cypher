// Sentiment per touchpoint, computed once and kept (a changed text clears it on load).
UNWIND $rows AS r
MATCH (t:Touchpoint {uid: r.uid})
SET t.sentiment_score = r.score, t.sentiment = r.label
RETURN count(t) AS scored
