// A new API key: only the SHA-256 digest of the secret is stored. `scopes` and `mappings` are
// null for a key with its role's default scopes and every built-in mapping.
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, name: $label, created_at: $now,
                  scopes: $scopes, mappings: $mappings})
RETURN k.id AS id
