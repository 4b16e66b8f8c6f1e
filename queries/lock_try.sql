-- sqlx's migration lock (session level): the same key, so sqlx and obsconsole never migrate at once.
SELECT pg_try_advisory_lock(%(key)s) AS acquired
