-- Revoke by id or by prefix, effective immediately; returns what was revoked.
UPDATE api_keys SET revoked_at = now()
WHERE revoked_at IS NULL AND (id::text = %(ref)s OR key_prefix = %(ref)s)
RETURNING id, key_prefix, name
