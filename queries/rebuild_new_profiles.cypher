// A first build (no record has a profile yet): each new profile created with its records'
// HAS_RECORD links in one statement. Its id was checked free (no Profile or alias has it), so
// CREATE, not MERGE; its records have no profile, so there is no old link to delete. The same
// properties as resolve_upsert_profiles gives a new profile (created_at, updated_at, props).
UNWIND $rows AS r
CREATE (p:Profile {pid: r.pid})
SET p += r.props, p.created_at = $now, p.updated_at = $now
WITH p, r
UNWIND r.uids AS uid
MATCH (c:Customer {uid: uid})
CREATE (p)-[:HAS_RECORD {since: $now}]->(c)
RETURN count(*) AS written
