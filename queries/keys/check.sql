-- Is this digest a usable key right now?
SELECT id, key_prefix,
       CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
            WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired'
            ELSE 'active' END AS state
FROM api_keys WHERE key_hash = %(key_hash)s
