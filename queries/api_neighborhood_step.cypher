// One breadth-first step of neighborhood(): relationships around the frontier elements, at most
// $limit of them. Restricted profiles and their records stay out unless $see_restricted.
UNWIND $frontier AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r:HAS_RECORD|HAS_IDENTIFIER|USES_DEVICE|HOLDS|WORKS_AT|MEMBER_OF|SUBSIDIARY_OF|IN_HOUSEHOLD|HAD_TOUCHPOINT]-(m)
WHERE $see_restricted
   OR NOT (coalesce(m.restricted, false) OR (m:Customer AND EXISTS { (m)<-[:HAS_RECORD]-(:Profile {restricted: true}) }))
WITH r, m LIMIT $limit
RETURN {type: type(r), start: elementId(startNode(r)), end: elementId(endNode(r))} AS edge,
       {element_id: elementId(m), labels: labels(m),
        props: m {.pid, .uid, .hid, .key, .kind, .value, .name, .display_name, .source, .account_type,
                  .device_type, .channel, .type, .address, .restricted}} AS node
