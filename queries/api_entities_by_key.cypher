// Graph elements of entities named by (type, key) pairs, for path and neighborhood: one index
// seek per pair in the branch of its type (the type is checked against resolvers.ids' allow-list
// before it gets here). A merged-away profile id resolves to its survivor.
UNWIND $refs AS ref
CALL (ref) {
  MATCH (n:Profile {pid: ref.key}) WHERE ref.type = 'Profile' RETURN n
  UNION
  MATCH (:ProfileAlias {pid: ref.key})-[:ALIAS_OF]->(n:Profile) WHERE ref.type = 'Profile' RETURN n
  UNION
  MATCH (n:Customer {uid: ref.key}) WHERE ref.type = 'SourceRecord' RETURN n
  UNION
  MATCH (n:Identifier {key: ref.key}) WHERE ref.type = 'Identifier' RETURN n
  UNION
  MATCH (n:Household {hid: ref.key}) WHERE ref.type = 'Household' RETURN n
  UNION
  MATCH (n:Organization {uid: ref.key}) WHERE ref.type = 'Organization' RETURN n
  UNION
  MATCH (n:Account {uid: ref.key}) WHERE ref.type = 'Account' RETURN n
  UNION
  MATCH (n:Device {uid: ref.key}) WHERE ref.type = 'Device' RETURN n
  UNION
  MATCH (n:Touchpoint {uid: ref.key}) WHERE ref.type = 'Touchpoint' RETURN n
}
RETURN ref.type AS type, ref.key AS key, elementId(n) AS element_id, labels(n) AS labels,
       coalesce(n.restricted, false) OR EXISTS { (n)<-[:HAS_RECORD]-(:Profile {restricted: true}) } AS hidden,
       n {.pid, .uid, .hid, .key, .kind, .value, .name, .display_name, .source, .account_type,
          .device_type, .channel, .type, .address, .restricted} AS props
