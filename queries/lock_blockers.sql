-- Sessions holding locks on the named relations (asked after a lock_timeout, to say who blocked us).
SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unknown') AS application_name, l.mode,
       c.relname, a.state, a.query
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND a.pid <> pg_backend_pid() AND c.relname = ANY(%(relnames)s)
ORDER BY a.pid
