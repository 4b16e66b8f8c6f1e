-- Keys with their owner and state; never the hash.
SELECT k.id, k.key_prefix, k.name, u.email, k.scopes, k.rate_limit_per_minute, k.created_at, k.expires_at,
       k.last_used_at, k.revoked_at,
       CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked'
            WHEN k.expires_at IS NOT NULL AND k.expires_at <= now() THEN 'expired'
            ELSE 'active' END AS state
FROM api_keys k JOIN users u ON u.id = k.user_id
WHERE %(email)s::text IS NULL OR u.email = %(email)s::text
ORDER BY k.id
