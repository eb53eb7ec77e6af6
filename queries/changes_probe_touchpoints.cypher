// A load, before merge_had_touchpoint in the same transaction (and after the touchpoints' own
// merge): touchpoints of the given types about to be linked to a record that has a profile.
UNWIND $rows AS r
MATCH (t:Touchpoint {uid: r.end})
  WHERE t.type IN $types
MATCH (p:Profile)-[:HAS_RECORD]->(a:Customer {uid: r.start})
  WHERE NOT (a)-[:HAD_TOUCHPOINT]->(t)
RETURN DISTINCT p.pid AS pid, t.uid AS touchpoint, t.type AS type, t.channel AS channel
ORDER BY pid, touchpoint
