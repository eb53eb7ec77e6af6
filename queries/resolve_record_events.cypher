UNWIND $rows AS r
MATCH (p:Profile {pid: r.pid})
CREATE (e:ResolutionEvent {eid: r.eid, at: $now, kind: r.kind, reason: r.reason,
                           records: r.records, from_pids: r.from_pids, by: r.by})
CREATE (p)-[:HAS_EVENT]->(e)
