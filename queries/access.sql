-- What the connected role can read, asked of the catalog up front (never by trying and failing): the settings and
-- statistics a monitoring role needs (pg_read_all_settings, pg_read_all_stats: both in pg_monitor), USAGE on the
-- project's schema (the first of search_path, where the ledger and the tables live) and TimescaleDB's
-- information schema, and every table or view there it may not SELECT.
WITH schemas AS (
    SELECT n.oid, n.nspname FROM pg_namespace AS n
    WHERE n.nspname IN (current_schema(), 'timescaledb_information')
)
SELECT quote_ident(current_user)                                           AS role,
       (SELECT r.rolsuper FROM pg_roles AS r WHERE r.rolname = current_user) AS superuser,
       quote_ident(current_schema())                                       AS schema,
       pg_has_role(current_user, 'pg_read_all_settings', 'USAGE')          AS settings_readable,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')             AS stats_readable,
       ARRAY(SELECT quote_ident(s.nspname) FROM schemas AS s
             WHERE NOT has_schema_privilege(s.oid, 'USAGE') ORDER BY 1)    AS schemas_without_usage,
       ARRAY(SELECT format('%I.%I', s.nspname, c.relname) FROM pg_class AS c JOIN schemas AS s
             ON s.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1)    AS unreadable_tables
