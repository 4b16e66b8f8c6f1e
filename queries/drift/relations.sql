-- Drift snapshot: tables, views and materialized views of the user schemas (not the ledger), with their comment.
SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS key,
       jsonb_build_object(
           'kind', CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                  WHEN 'p' THEN 'partitioned table' ELSE 'table' END,
           'comment', obj_description(c.oid, 'pg_class')) AS attrs
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'toolkit_experimental')
  AND n.nspname !~ '^(pg_toast|pg_temp|_timescaledb|timescaledb_)'
  AND c.relname <> '_sqlx_migrations'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
