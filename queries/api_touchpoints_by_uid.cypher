// Touchpoints by uid, for node(id), with the record that had each one.
UNWIND $uids AS uid
MATCH (t:Touchpoint {uid: uid})
OPTIONAL MATCH (c:Customer)-[:HAD_TOUCHPOINT]->(t)
WITH uid, t, min(c.uid) AS record_uid
RETURN uid AS key, t {.uid, .source, .source_id, .channel, .type, .at, .amount, .currency, .campaign, .subject, .page, .sentiment, .sentiment_score, record_uid: record_uid} AS touchpoint
