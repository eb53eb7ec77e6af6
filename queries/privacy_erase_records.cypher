// Delete the records with their consents and the devices and accounts only they use (the
// relationships, steward decisions included, go with them); then identifiers nobody uses.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})
CALL (c) {
  MATCH (c)-[:HAS_CONSENT]->(k:Consent)
  DETACH DELETE k
}
CALL (c) {
  MATCH (c)-[:USES_DEVICE|HOLDS]->(x)
  WHERE NOT EXISTS { (x)<-[:USES_DEVICE|HOLDS]-(o:Customer) WHERE NOT o.uid IN $uids }
  DETACH DELETE x
}
DETACH DELETE c
WITH count(*) AS records
CALL () {
  UNWIND $keys AS key
  MATCH (i:Identifier {key: key})
  WHERE NOT EXISTS { (i)<-[:HAS_IDENTIFIER]-() }
  DETACH DELETE i
  RETURN count(*) AS identifiers
}
RETURN records, identifiers
