// A load, before merge_works_at / merge_member_of in the same transaction: which rows link a
// record that has a profile to an organization it was not linked to by $rel, or change the
// link's properties (title, role, since, until). Dates are stored as dates, rows carry text:
// compared as text.
UNWIND $rows AS r
MATCH (p:Profile)-[:HAS_RECORD]->(a:Customer {uid: r.start})
OPTIONAL MATCH (a)-[x]->(:Organization {uid: r.end})
  WHERE type(x) = $rel
WITH p, r, x
WHERE x IS NULL
   OR any(k IN keys(r.props) WHERE toString(x[k]) <> toString(r.props[k]) OR (x[k] IS NULL) <> (r.props[k] IS NULL))
RETURN DISTINCT p.pid AS pid, r.end AS organization
ORDER BY pid, organization
