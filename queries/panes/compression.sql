-- Compression pane: one row per chunk of every compression-enabled hypertable and continuous
-- aggregate (its materialization hypertable, labelled by the view name), with the before/after sizes
-- snapshotted at compression time, the compression policy's compress_after (or compress_created_before) and
-- whether the chunk is backlog: still uncompressed although the policy's threshold has passed. A hypertable
-- without chunks gives one row with NULL chunk columns. Per-hypertable totals are the sums of these rows, which
-- is what hypertable_columnstore_stats() returns. {stats_function} is chosen by the detected version:
-- chunk_columnstore_stats from TimescaleDB 2.18, chunk_compression_stats before. A cagg's policy names the view from 2.20 on and the
-- materialization hypertable before: both spellings are matched. Catalog views and stats functions only.
WITH objects AS (
    SELECT h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name,
           h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           'hypertable' AS object_kind
    FROM timescaledb_information.hypertables AS h
    WHERE h.compression_enabled
    UNION ALL
    SELECT ca.materialization_hypertable_schema, ca.materialization_hypertable_name,
           ca.view_schema, ca.view_name,
           'continuous aggregate'
    FROM timescaledb_information.continuous_aggregates AS ca
    WHERE ca.compression_enabled
),
policies AS (
    SELECT o.ht_schema, o.ht_name, j.job_id,
           CASE jsonb_typeof(j.config -> 'compress_after') WHEN 'string'
                THEN (j.config ->> 'compress_after')::interval END          AS compress_after,
           CASE jsonb_typeof(j.config -> 'compress_created_before') WHEN 'string'
                THEN (j.config ->> 'compress_created_before')::interval END AS compress_created_before,
           j.config ->> 'compress_after'                                  AS compress_after_raw
    FROM timescaledb_information.jobs AS j
    JOIN objects AS o
      ON (j.hypertable_schema = o.object_schema AND j.hypertable_name = o.object_name)
      OR (j.hypertable_schema = o.ht_schema AND j.hypertable_name = o.ht_name)
    WHERE j.proc_name = 'policy_compression'
),
stats AS (
    SELECT s.*
    FROM objects AS o
    CROSS JOIN LATERAL {stats_function}((quote_ident(o.ht_schema) || '.' || quote_ident(o.ht_name))::regclass) AS s
)
SELECT o.object_schema,
       o.object_name,
       o.object_kind,
       o.ht_schema                                     AS hypertable_schema,
       o.ht_name                                       AS hypertable_name,
       p.job_id                                        AS policy_job_id,
       p.compress_after                                AS compress_after,
       COALESCE(p.compress_after::text, p.compress_after_raw) AS compress_after_text,
       p.compress_created_before::text                 AS compress_created_before_text,
       c.chunk_schema,
       c.chunk_name,
       c.range_start,
       c.range_end,
       c.is_compressed,
       s.before_compression_table_bytes                AS before_table_bytes,
       s.before_compression_index_bytes                AS before_index_bytes,
       s.before_compression_toast_bytes                AS before_toast_bytes,
       s.before_compression_total_bytes                AS before_total_bytes,
       s.after_compression_table_bytes                 AS after_table_bytes,
       s.after_compression_index_bytes                 AS after_index_bytes,
       s.after_compression_toast_bytes                 AS after_toast_bytes,
       s.after_compression_total_bytes                 AS after_total_bytes,
       COALESCE(NOT c.is_compressed AND (c.range_end < now() - p.compress_after
                                         OR c.chunk_creation_time < now() - p.compress_created_before), false)
                                                       AS backlog,
       now()                                           AS db_now
FROM objects AS o
LEFT JOIN policies AS p ON p.ht_schema = o.ht_schema AND p.ht_name = o.ht_name
LEFT JOIN timescaledb_information.chunks AS c
       ON c.hypertable_schema = o.ht_schema AND c.hypertable_name = o.ht_name
LEFT JOIN stats AS s
       ON s.chunk_schema = c.chunk_schema AND s.chunk_name = c.chunk_name
ORDER BY o.object_kind DESC, o.object_schema, o.object_name, c.range_start NULLS LAST, c.chunk_name
