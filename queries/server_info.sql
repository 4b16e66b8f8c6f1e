-- What the server is: PostgreSQL version, TimescaleDB installed/available, edition, current database.
SELECT
    current_setting('server_version')                          AS server_version,
    current_setting('server_version_num')::int                 AS server_version_num,
    current_database()                                         AS database,
    (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb_installed,
    (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS timescaledb_available,
    current_setting('timescaledb.license', true)               AS license,
    current_setting('shared_preload_libraries', true)          AS preload_libraries
