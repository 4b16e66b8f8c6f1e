-- Drift snapshot: compression settings per hypertable (TimescaleDB < 2.14: compression_settings, one row per column).
SELECT CASE WHEN hypertable_schema = 'public' THEN '' ELSE hypertable_schema || '.' END || hypertable_name AS key,
       jsonb_build_object(
           'segmentby', string_agg(attname, ', ' ORDER BY segmentby_column_index)
                            FILTER (WHERE segmentby_column_index IS NOT NULL),
           'orderby', string_agg(attname || CASE WHEN orderby_asc THEN '' ELSE ' DESC' END, ', '
                                 ORDER BY orderby_column_index) FILTER (WHERE orderby_column_index IS NOT NULL)) AS attrs
FROM timescaledb_information.compression_settings
GROUP BY hypertable_schema, hypertable_name
ORDER BY 1
