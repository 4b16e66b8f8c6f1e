-- The TimescaleDB extension in this database, if any.
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'
