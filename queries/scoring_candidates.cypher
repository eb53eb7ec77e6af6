// Records that share a blocking key (within max_block) with the given ones: their candidates.
UNWIND $uids AS uid
MATCH (c:Customer {uid: uid})-[:HAS_IDENTIFIER]->(i:Identifier)
WHERE i.kind IN $block_kinds AND COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $max_block
MATCH (i)<-[:HAS_IDENTIFIER]-(o:Customer)
RETURN collect(DISTINCT o.uid) AS others
