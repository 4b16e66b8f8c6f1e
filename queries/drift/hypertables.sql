-- Drift snapshot: hypertables and their dimensions (continuous aggregates' own hypertables are not listed).
SELECT CASE WHEN h.hypertable_schema = 'public' THEN '' ELSE h.hypertable_schema || '.' END
           || h.hypertable_name AS key,
       jsonb_build_object(
           'compression enabled', h.compression_enabled,
           'dimensions', (SELECT string_agg(d.column_name || ' ' || lower(d.dimension_type) || ' '
                                            || coalesce(d.time_interval::text, d.integer_interval::text,
                                                        d.num_partitions::text || ' partitions', ''),
                                            ', ' ORDER BY d.dimension_number)
                          FROM timescaledb_information.dimensions d
                          WHERE d.hypertable_schema = h.hypertable_schema
                            AND d.hypertable_name = h.hypertable_name)) AS attrs
FROM timescaledb_information.hypertables h
ORDER BY 1
