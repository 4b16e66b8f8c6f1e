-- What the server is: PostgreSQL version, TimescaleDB installed/available, edition, current database, and an
-- identity of this database on this cluster (the cluster's system identifier, set by initdb, and the database's
-- oid; NULL where the role may not call pg_control_system()), which tells the audit log's entries of this
-- database from those of an earlier one at the same address.
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
    pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS settings_readable,
    CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE')
         THEN (SELECT system_identifier::text FROM pg_control_system()) || '/'
              || (SELECT oid::text FROM pg_database WHERE datname = current_database()) END AS server_id
