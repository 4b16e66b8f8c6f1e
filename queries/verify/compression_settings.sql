-- Compression settings per hypertable (TimescaleDB 2.14.1+: hypertable_compression_settings).
SELECT hypertable::text AS hypertable_name, segmentby, orderby
FROM timescaledb_information.hypertable_compression_settings
WHERE segmentby IS NOT NULL OR orderby IS NOT NULL
