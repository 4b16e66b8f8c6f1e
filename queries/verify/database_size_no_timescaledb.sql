-- Database size where TimescaleDB is not installed.
SELECT current_database() AS database, pg_database_size(current_database()) AS database_bytes,
       '{}'::json AS hypertable_bytes
