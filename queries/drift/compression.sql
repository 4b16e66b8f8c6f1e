-- Drift snapshot: compression settings per hypertable (TimescaleDB 2.14.1+: hypertable_compression_settings).
SELECT hypertable::text AS key,
       jsonb_build_object('segmentby', segmentby, 'orderby', orderby) AS attrs
FROM timescaledb_information.hypertable_compression_settings
WHERE segmentby IS NOT NULL OR orderby IS NOT NULL
ORDER BY 1
