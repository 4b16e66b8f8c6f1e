-- Who holds the migration lock: pid, application and how long it has been at it.
SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unknown') AS application_name,
       now() - coalesce(a.xact_start, a.backend_start) AS held_for
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND ((l.classid::bigint << 32) | l.objid::bigint) = %(key)s
LIMIT 1
