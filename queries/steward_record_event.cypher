MATCH (p:Profile {pid: $pid})
CREATE (e:ResolutionEvent {eid: $eid, at: $now, kind: $kind, reason: $reason,
                           records: $records, from_pids: [], by: $by})
CREATE (p)-[:HAS_EVENT]->(e)
