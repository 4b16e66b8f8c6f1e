-- What the server is: PostgreSQL version, TimescaleDB installed/available, edition, current database.
SELECT
    current_setting('server_version')                          AS server_version,
    current_setting('server_version_num')::int                 AS server_version_num,
    current_database()                                         AS database,
    (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb_installed,
    (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS timescaledb_available,
    current_setting('timescaledb.license', true)               AS license,
    -- superuser-only unless the role has pg_read_all_settings (pg_monitor has it): NULL when it may not read it
    CASE WHEN pg_has_role(current_user, 'pg_read_all_settings', 'USAGE')
         THEN current_setting('shared_preload_libraries', true) END AS preload_libraries,
    pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS settings_readable
