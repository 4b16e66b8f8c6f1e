-- A new key: only its SHA-256 digest and a short prefix are stored.
INSERT INTO api_keys (key_hash, key_prefix, name, user_id, scopes, rate_limit_per_minute, expires_at)
VALUES (%(key_hash)s, %(key_prefix)s, %(name)s, %(user_id)s, %(scopes)s, %(rate_limit)s,
        now() + %(expires_in)s::interval)
RETURNING id, created_at, expires_at
