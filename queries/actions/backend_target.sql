-- A backend as an operator sees it before cancelling or terminating it: who, what, and the locks involved.
SELECT a.pid, a.application_name, a.usename::text AS username, a.state, a.backend_type,
       left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 300) AS query,
       pg_blocking_pids(a.pid) AS blocked_by,
       ARRAY(SELECT b.pid FROM pg_stat_activity b WHERE a.pid = ANY (pg_blocking_pids(b.pid)) ORDER BY b.pid)
           AS blocking,
       ARRAY(SELECT l.mode || ' on ' || coalesce(l.relation::regclass::text, l.locktype)
                    || CASE WHEN l.granted THEN '' ELSE ' (waiting)' END
             FROM pg_locks l WHERE l.pid = a.pid AND l.locktype IN ('relation', 'advisory', 'transactionid')
               AND (l.relation IS NULL OR l.relation >= 16384 OR NOT l.granted)
             ORDER BY l.granted, l.mode LIMIT 8) AS locks,
       a.pid = pg_backend_pid() AS is_self
FROM pg_stat_activity a
WHERE a.pid = %(pid)s
