// Devices by uid with the profiles that use them.
UNWIND $uids AS uid
MATCH (d:Device {uid: uid})
OPTIONAL MATCH (d)<-[:USES_DEVICE]-(:Customer)<-[:HAS_RECORD]-(p:Profile)
WITH uid, d, p ORDER BY p.pid
RETURN uid AS key, d {.uid, .source, .source_id, .device_type} AS device, collect(DISTINCT p.pid) AS users
