// Subsidiaries of organizations down to $depth levels (at most 10: corporate trees are shallow,
// and a bound keeps a cyclic SUBSIDIARY_OF chain from running away).
UNWIND $uids AS uid
MATCH (o:Organization {uid: uid})
OPTIONAL MATCH path = (o)<-[:SUBSIDIARY_OF*1..10]-(sub:Organization)
WHERE length(path) <= $depth AND sub <> o
WITH uid, sub, min(length(path)) AS level
ORDER BY level, sub.name, sub.uid
RETURN uid AS key, [x IN collect({organization: sub {.uid, .source, .source_id, .name, .domain, .country}, level: level}) WHERE x.organization IS NOT NULL] AS subsidiaries
