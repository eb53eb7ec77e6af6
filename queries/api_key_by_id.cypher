// The stored digest, role, scopes and mappings of one API key, if it exists and is not revoked.
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
RETURN k.id AS id, k.hash AS hash, k.role AS role, k.name AS name, k.scopes AS scopes, k.mappings AS mappings
