-- Asked after an action's lock wait ran out: the sessions holding a lock on a relation its SQL names (a lock on a
-- chunk counts for the chunk and for its hypertable), longest held first.
WITH held AS (
    SELECT l.pid, l.mode, coalesce(p.relname, c.relname) AS relname, (p.oid IS NOT NULL) AS via_chunk
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND n.nspname = '_timescaledb_internal'
    LEFT JOIN pg_class p ON p.oid = i.inhparent
    WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND (c.relname = ANY(%(relnames)s) OR p.relname = ANY(%(relnames)s))
)
SELECT h.pid, coalesce(nullif(a.application_name, ''), 'unknown') AS application_name, h.mode, h.relname,
       count(*) FILTER (WHERE h.via_chunk)::int AS chunks,
       round(extract(epoch FROM now() - coalesce(a.xact_start, a.state_change)))::int AS seconds
FROM held h
JOIN pg_stat_activity a ON a.pid = h.pid
GROUP BY h.pid, a.application_name, h.mode, h.relname, a.xact_start, a.state_change
ORDER BY seconds DESC NULLS LAST, chunks
LIMIT 3
