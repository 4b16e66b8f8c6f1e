-- The schema TimescaleDB is installed in, whether this session's search_path reaches it, and the path.
SELECT n.nspname AS schema,
       n.nspname = ANY(current_schemas(false)) AS on_path,
       current_setting('search_path') AS search_path
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'timescaledb'
