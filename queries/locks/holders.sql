-- Asked after a statement ran out of time waiting: the sessions holding a lock on a relation of this database,
-- longest held first. Either every lock that blocks catalog reads (relnames NULL: ACCESS EXCLUSIVE, EXCLUSIVE) or
-- any lock on the relations an action's SQL names (relnames: those names). A lock on a chunk is folded into its
-- hypertable (chunks inherit from it), so LOCK TABLE on a hypertable reads as one line naming the hypertable.
-- Parameters: relnames (text[] or NULL).
WITH held AS (
    SELECT l.pid, l.mode, coalesce(p.relname, c.relname, l.relation::text) AS relname,
           (p.oid IS NOT NULL) AS via_chunk
    FROM pg_locks l
    LEFT JOIN pg_class c ON c.oid = l.relation
    LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND n.nspname = '_timescaledb_internal'
    LEFT JOIN pg_class p ON p.oid = i.inhparent
    WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND CASE WHEN %(relnames)s::text[] IS NULL THEN l.mode IN ('AccessExclusiveLock', 'ExclusiveLock')
               ELSE c.relname = ANY(%(relnames)s::text[]) OR p.relname = ANY(%(relnames)s::text[]) END
)
SELECT h.pid, coalesce(nullif(a.application_name, ''), 'unknown') AS application_name, h.mode, h.relname,
       count(*) FILTER (WHERE h.via_chunk)::int AS chunks,
       round(extract(epoch FROM now() - coalesce(a.xact_start, a.state_change)))::int AS seconds
FROM held h
JOIN pg_stat_activity a ON a.pid = h.pid
GROUP BY h.pid, a.application_name, h.mode, h.relname, a.xact_start, a.state_change
ORDER BY seconds DESC NULLS LAST, chunks
LIMIT 3
