// A new API key: only the SHA-256 digest of the secret is stored.
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, name: $label, created_at: $now})
RETURN k.id AS id
