// Organizations by uid, each with its parent's uid.
UNWIND $uids AS uid
MATCH (o:Organization {uid: uid})
OPTIONAL MATCH (o)-[:SUBSIDIARY_OF]->(parent:Organization)
RETURN uid AS key, o {.uid, .source, .source_id, .name, .domain, .country, parent_uid: parent.uid} AS organization
