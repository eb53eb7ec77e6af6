// Revoke an API key; it stays listed with its revocation time.
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
SET k.revoked_at = $now, k.revoked_by = $by
RETURN k.id AS id
