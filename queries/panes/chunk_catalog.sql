-- The chunk catalog behind the chunk sizes and retention panes: one row per chunk of every hypertable, the
-- continuous aggregates' materialization hypertables included (labelled with the view's name), and one row with
-- NULL chunk columns for a hypertable without chunks: ranges, creation time, compression state, the relations to
-- measure (the chunk and its compressed chunk) and pg_class.relpages for an estimate. TimescaleDB's own catalog
-- tables (SELECT granted to PUBLIC) joined with pg_class: no size function, no information view, no hypertable
-- scanned. A console keeps the result while chunk_catalog_version.sql gives the same answer. Sizes come from
-- chunk_sizes.sql for the chunks the pane measures now. TimescaleDB 2.13+.
WITH objects AS (
    SELECT h.id AS ht_id, h.schema_name AS ht_schema, h.table_name AS ht_name,
           h.schema_name AS object_schema, h.table_name AS object_name, 'hypertable' AS object_kind
    FROM _timescaledb_catalog.hypertable AS h
    WHERE h.compression_state <> 2  -- not an internal compressed hypertable
      AND NOT EXISTS (SELECT 1 FROM _timescaledb_catalog.continuous_agg AS ca WHERE ca.mat_hypertable_id = h.id)
    UNION ALL
    SELECT h.id, h.schema_name, h.table_name, ca.user_view_schema, ca.user_view_name, 'continuous aggregate'
    FROM _timescaledb_catalog.continuous_agg AS ca
    JOIN _timescaledb_catalog.hypertable AS h ON h.id = ca.mat_hypertable_id
),
time_dimension AS (
    SELECT DISTINCT ON (d.hypertable_id) d.hypertable_id, d.id AS dimension_id, d.interval_length,
           d.column_type IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) AS is_time
    FROM _timescaledb_catalog.dimension AS d
    WHERE d.interval_length IS NOT NULL
    ORDER BY d.hypertable_id, d.id
)
SELECT o.object_schema,
       o.object_name,
       o.object_kind,
       o.ht_schema                                                             AS hypertable_schema,
       o.ht_name                                                               AS hypertable_name,
       CASE WHEN td.is_time THEN make_interval(secs => td.interval_length / 1000000.0) END AS chunk_interval,
       CASE WHEN NOT td.is_time THEN td.interval_length END                    AS chunk_interval_integer,
       c.schema_name                                                           AS chunk_schema,
       c.table_name                                                            AS chunk_name,
       CASE WHEN td.is_time AND ds.range_start > -9223372036854775808
            THEN _timescaledb_functions.to_timestamp(ds.range_start) END       AS range_start,
       CASE WHEN td.is_time AND ds.range_end < 9223372036854775807
            THEN _timescaledb_functions.to_timestamp(ds.range_end) END         AS range_end,
       c.creation_time                                                         AS created,
       c.compressed_chunk_id IS NOT NULL                                       AS is_compressed,
       cl.oid::bigint                                                          AS chunk_oid,
       ccl.oid::bigint                                                         AS compressed_oid,
       (COALESCE(cl.relpages, 0) + COALESCE(ccl.relpages, 0))::bigint * current_setting('block_size')::bigint
                                                                               AS estimated_bytes
FROM objects AS o
LEFT JOIN time_dimension AS td ON td.hypertable_id = o.ht_id
LEFT JOIN _timescaledb_catalog.chunk AS c ON c.hypertable_id = o.ht_id AND NOT c.dropped
LEFT JOIN _timescaledb_catalog.chunk_constraint AS cc
       ON cc.chunk_id = c.id AND cc.dimension_slice_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM _timescaledb_catalog.dimension_slice AS s
                  WHERE s.id = cc.dimension_slice_id AND s.dimension_id = td.dimension_id)
LEFT JOIN _timescaledb_catalog.dimension_slice AS ds ON ds.id = cc.dimension_slice_id
LEFT JOIN pg_namespace AS cn ON cn.nspname = c.schema_name
LEFT JOIN pg_class AS cl ON cl.relnamespace = cn.oid AND cl.relname = c.table_name
LEFT JOIN _timescaledb_catalog.chunk AS comp ON comp.id = c.compressed_chunk_id
LEFT JOIN pg_namespace AS ccn ON ccn.nspname = comp.schema_name
LEFT JOIN pg_class AS ccl ON ccl.relnamespace = ccn.oid AND ccl.relname = comp.table_name
ORDER BY o.object_kind DESC, o.object_schema, o.object_name, range_start NULLS LAST, c.table_name
