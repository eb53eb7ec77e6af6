// People of organizations: employments and memberships with the profile of each record.
UNWIND $uids AS uid
MATCH (o:Organization {uid: uid})<-[r:WORKS_AT|MEMBER_OF]-(c:Customer)
OPTIONAL MATCH (p:Profile)-[:HAS_RECORD]->(c)
WITH uid, o, r, c, p ORDER BY p.display_name, c.uid
RETURN uid AS key, collect({organization: o {.uid, .source, .source_id, .name, .domain, .country}, relation: type(r), title: r.title, role: r.role,
                            since: r.since, until: r.until, record_uid: c.uid, profile_id: p.pid}) AS memberships
