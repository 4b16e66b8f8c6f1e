-- Chunk sizes pane: one row per chunk of every hypertable, the continuous aggregates' materialization
-- hypertables included (labelled with the view's name), and one row with NULL chunk columns for a hypertable
-- without chunks. Sizes from chunks_detailed_size() (live relation sizes; a compressed chunk's size includes
-- its compressed relation); ranges and compression state from timescaledb_information.chunks; the chunk
-- interval from .dimensions. Catalog views and size functions only: no hypertable is scanned.
-- TimescaleDB 2.13+, both editions (the views and size functions exist in the Apache edition too).
WITH objects AS (
    SELECT h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name,
           h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           'hypertable' AS object_kind
    FROM timescaledb_information.hypertables AS h
    UNION ALL
    SELECT ca.materialization_hypertable_schema, ca.materialization_hypertable_name,
           ca.view_schema, ca.view_name,
           'continuous aggregate'
    FROM timescaledb_information.continuous_aggregates AS ca
),
sizes AS (
    SELECT s.chunk_schema, s.chunk_name, s.table_bytes, s.index_bytes, s.toast_bytes, s.total_bytes
    FROM objects AS o
    CROSS JOIN LATERAL chunks_detailed_size((quote_ident(o.ht_schema) || '.' || quote_ident(o.ht_name))::regclass) AS s
)
SELECT o.object_schema,
       o.object_name,
       o.object_kind,
       o.ht_schema              AS hypertable_schema,
       o.ht_name                AS hypertable_name,
       d.time_interval          AS chunk_interval,
       d.integer_interval       AS chunk_interval_integer,
       c.chunk_schema,
       c.chunk_name,
       c.range_start,
       c.range_end,
       c.is_compressed,
       s.table_bytes,
       s.index_bytes,
       s.toast_bytes,
       s.total_bytes,
       now()                    AS db_now
FROM objects AS o
LEFT JOIN timescaledb_information.dimensions AS d
       ON d.hypertable_schema = o.ht_schema AND d.hypertable_name = o.ht_name AND d.dimension_number = 1
LEFT JOIN timescaledb_information.chunks AS c
       ON c.hypertable_schema = o.ht_schema AND c.hypertable_name = o.ht_name
LEFT JOIN sizes AS s
       ON s.chunk_schema = c.chunk_schema AND s.chunk_name = c.chunk_name
ORDER BY o.object_kind DESC, o.object_schema, o.object_name, c.range_start NULLS LAST, c.chunk_name
