-- Drift snapshot: constraints of user tables (primary key, unique, check, foreign key, exclusion).
SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname || '.' || k.conname AS key,
       jsonb_build_object('definition', pg_get_constraintdef(k.oid)) AS attrs
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND k.contype <> 'n'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'toolkit_experimental')
  AND n.nspname !~ '^(pg_toast|pg_temp|_timescaledb|timescaledb_)'
  AND c.relname <> '_sqlx_migrations'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
