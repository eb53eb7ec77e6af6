// Employments (WORKS_AT) and memberships (MEMBER_OF) of each profile's records.
UNWIND $pids AS pid
MATCH (:Profile {pid: pid})-[:HAS_RECORD]->(c:Customer)-[r:WORKS_AT|MEMBER_OF]->(o:Organization)
WITH pid, c, r, o ORDER BY o.name, type(r)
RETURN pid AS key, collect({organization: o {.uid, .source, .source_id, .name, .domain, .country}, relation: type(r), title: r.title, role: r.role,
                            since: r.since, until: r.until, record_uid: c.uid, profile_id: pid}) AS memberships
