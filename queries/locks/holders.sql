-- Asked after a check or a pane ran out of time: the sessions holding a lock that blocks catalog reads (ACCESS
-- EXCLUSIVE, EXCLUSIVE) on a relation of this database, longest held first.
SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unknown') AS application_name, l.mode,
       coalesce(c.relname, l.relation::text) AS relname,
       round(extract(epoch FROM now() - coalesce(a.xact_start, a.state_change)))::int AS seconds
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
LEFT JOIN pg_class c ON c.oid = l.relation
WHERE l.granted AND l.locktype = 'relation' AND l.mode IN ('AccessExclusiveLock', 'ExclusiveLock')
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND a.pid <> pg_backend_pid()
ORDER BY seconds DESC NULLS LAST
LIMIT 3
