// The person's touchpoints that no other record shares go; shared ones only lose the link.
UNWIND $uids AS uid
MATCH (:Customer {uid: uid})-[:HAD_TOUCHPOINT]->(t:Touchpoint)
WHERE NOT EXISTS { (t)<-[:HAD_TOUCHPOINT]-(o:Customer) WHERE NOT o.uid IN $uids }
WITH DISTINCT t
DETACH DELETE t
RETURN count(*) AS touchpoints
