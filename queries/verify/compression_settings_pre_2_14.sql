-- Compression settings per hypertable (TimescaleDB < 2.14: compression_settings, one row per column).
SELECT hypertable_name,
       string_agg(attname, ',' ORDER BY segmentby_column_index) FILTER (WHERE segmentby_column_index IS NOT NULL)
           AS segmentby,
       string_agg(attname || CASE WHEN orderby_asc THEN '' ELSE ' DESC' END, ',' ORDER BY orderby_column_index)
           FILTER (WHERE orderby_column_index IS NOT NULL) AS orderby
FROM timescaledb_information.compression_settings
WHERE hypertable_schema = current_schema()
GROUP BY hypertable_name
