// The shortest relationship path (at most 6 hops) between two graph elements. Callers that may
// not see restricted profiles ($see_restricted false) get no path through a restricted profile
// or through one of its records: the check runs on every step, so the search prunes them.
MATCH (a) WHERE elementId(a) = $from
MATCH (b) WHERE elementId(b) = $to
MATCH p = SHORTEST 1 (a)
  (()-[:HAS_RECORD|HAS_IDENTIFIER|USES_DEVICE|HOLDS|WORKS_AT|MEMBER_OF|SUBSIDIARY_OF|IN_HOUSEHOLD|HAD_TOUCHPOINT]-(x)
   WHERE $see_restricted
      OR NOT (coalesce(x.restricted, false)
              OR (x:Customer AND EXISTS { (x)<-[:HAS_RECORD]-(:Profile {restricted: true}) }))){1,6}
  (b)
WITH p WHERE length(p) <= $max_depth
RETURN [n IN nodes(p) | {element_id: elementId(n), labels: labels(n),
        props: n {.pid, .uid, .hid, .key, .kind, .value, .name, .display_name, .source, .account_type,
                  .device_type, .channel, .type, .address, .restricted}}] AS nodes,
       [r IN relationships(p) | {type: type(r), start: elementId(startNode(r)), end: elementId(endNode(r))}] AS edges
