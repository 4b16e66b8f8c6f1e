-- A backend as an operator sees it before cancelling or terminating it: who, what, and the locks involved
-- (locks on user tables, advisory locks and whatever it waits for; locks on chunks and catalogs only counted).
-- Its query comes whole (up to track_activity_query_size): console.infra.sqltext masks every string literal in it,
-- in each quoting form, before it is shown or audited. may_signal: what pg_cancel_backend/pg_terminate_backend
-- ask of this role (PostgreSQL 15): the privileges of the backend's role, or pg_signal_backend for a backend
-- that is not a superuser's (a superuser may signal any).
WITH l AS (
    SELECT l.mode || ' on ' || coalesce(l.relation::regclass::text, l.locktype)
               || CASE WHEN l.granted THEN '' ELSE ' (waiting)' END AS lock,
           NOT l.granted OR l.locktype = 'advisory'
               OR (l.locktype = 'relation' AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
                   AND n.nspname NOT LIKE '\_timescaledb%%') AS shown,
           l.granted
    FROM pg_locks l
    LEFT JOIN pg_class c ON c.oid = l.relation
    LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE l.pid = %(pid)s AND l.locktype IN ('relation', 'advisory', 'transactionid')
)
SELECT a.pid, a.application_name, a.usename::text AS username, a.state, a.backend_type,
       a.query,
       pg_blocking_pids(a.pid) AS blocked_by,
       ARRAY(SELECT b.pid FROM pg_stat_activity b WHERE a.pid = ANY (pg_blocking_pids(b.pid)) ORDER BY b.pid)
           AS blocking,
       ARRAY(SELECT lock FROM l WHERE shown ORDER BY granted, lock LIMIT 8) AS locks,
       (SELECT count(*) FROM l WHERE NOT shown) AS other_locks,
       a.pid = pg_backend_pid() AS is_self,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           OR (a.usesysid IS NOT NULL AND pg_has_role(a.usesysid, 'USAGE'))
           OR (pg_has_role('pg_signal_backend', 'USAGE')
               AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE oid = a.usesysid), false)) AS may_signal
FROM pg_stat_activity a
WHERE a.pid = %(pid)s
