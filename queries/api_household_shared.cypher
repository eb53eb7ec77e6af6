// Accounts and devices that two or more profiles of a household share.
UNWIND $hids AS hid
MATCH (:Household {hid: hid})<-[:IN_HOUSEHOLD]-(p:Profile)-[:HAS_RECORD]->(:Customer)
      -[r:HOLDS|USES_DEVICE]->(x)
WITH hid, x, type(r) AS rel, count(DISTINCT p) AS members
WHERE members > 1
WITH hid, rel, x ORDER BY x.uid
RETURN hid AS key,
       [item IN collect({rel: rel, node: x {.uid, .source, .source_id, .account_type, .device_type}}) WHERE item.rel = 'HOLDS' | item.node] AS accounts,
       [item IN collect({rel: rel, node: x {.uid, .source, .source_id, .account_type, .device_type}}) WHERE item.rel = 'USES_DEVICE' | item.node] AS devices
