// All API keys (never their digests), newest first.
MATCH (k:ApiKey)
RETURN k.id AS id, k.role AS role, k.name AS name, k.scopes AS scopes, k.mappings AS mappings,
       k.created_at AS created_at, k.revoked_at AS revoked_at
ORDER BY k.created_at DESC, k.id
