-- Drift snapshot: indexes of user tables; the definition is normalised in Python (name and schema removed).
SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || i.relname AS key,
       jsonb_build_object('table', c.relname, 'definition', pg_get_indexdef(i.oid), 'schema', n.nspname) AS attrs
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'toolkit_experimental')
  AND n.nspname !~ '^(pg_toast|pg_temp|_timescaledb|timescaledb_)'
  AND c.relname <> '_sqlx_migrations'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
