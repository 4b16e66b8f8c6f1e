-- Fleet, step 2 (TimescaleDB installed): one row of cheap figures per database, from catalogs only (no
-- hypertable is scanned). Jobs: failing ones (their procedures, so the caller can set aside the Apache build's
-- known failure), overdue ones (scheduled, not running, next start past the grace, or stuck at -infinity) and
-- failures counted since the job was created. Chunks of every hypertable (continuous aggregates' too): count,
-- size (catalog statistics for settled chunks, exact for chunks written since their last ANALYZE, the recorded
-- compressed size for compressed ones), the bytes per day of the chunks of the last 7 days, compression backlog
-- (uncompressed past the policy's compress_after) and retention overdue (still there past drop_after). A policy
-- names an aggregate's view from 2.20 on and its materialization hypertable before: both are matched.
-- Parameters: grace (interval).
WITH targets AS (
    SELECT h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name
    FROM timescaledb_information.hypertables AS h
    UNION ALL
    SELECT ca.view_schema, ca.view_name, ca.materialization_hypertable_schema, ca.materialization_hypertable_name
    FROM timescaledb_information.continuous_aggregates AS ca
),
policies AS (
    SELECT t.ht_schema, t.ht_name,
           min(CASE WHEN jsonb_typeof(j.config -> 'compress_after') = 'string'
                    THEN (j.config ->> 'compress_after')::interval END) AS compress_after,
           min(CASE WHEN jsonb_typeof(j.config -> 'drop_after') = 'string'
                    THEN (j.config ->> 'drop_after')::interval END)     AS drop_after
    FROM timescaledb_information.jobs AS j
    JOIN targets AS t
      ON (j.hypertable_schema = t.object_schema AND j.hypertable_name = t.object_name)
      OR (j.hypertable_schema = t.ht_schema AND j.hypertable_name = t.ht_name)
    WHERE j.proc_name IN ('policy_compression', 'policy_retention')
    GROUP BY t.ht_schema, t.ht_name
),
chunks AS (
    SELECT c.range_start, c.range_end, c.is_compressed, p.compress_after, p.drop_after,
           CASE WHEN c.is_compressed THEN COALESCE(z.compressed_heap_size + z.compressed_toast_size
                                                   + z.compressed_index_size, 0)
                WHEN cl.reltuples < 0 OR pg_stat_get_mod_since_analyze(cl.oid) > 0 THEN pg_total_relation_size(cl.oid)
                ELSE (cl.relpages + COALESCE(tc.relpages, 0) + COALESCE(ix.pages, 0))::bigint
                     * current_setting('block_size')::bigint
           END AS bytes,
           z.uncompressed_heap_size + z.uncompressed_toast_size + z.uncompressed_index_size AS before_bytes,
           z.compressed_heap_size + z.compressed_toast_size + z.compressed_index_size       AS after_bytes
    FROM timescaledb_information.chunks AS c
    JOIN pg_namespace AS n ON n.nspname = c.chunk_schema
    JOIN pg_class AS cl ON cl.relnamespace = n.oid AND cl.relname = c.chunk_name
    LEFT JOIN pg_class AS tc ON tc.oid = cl.reltoastrelid
    LEFT JOIN LATERAL (SELECT sum(i.relpages) AS pages FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                       WHERE x.indrelid = cl.oid) AS ix ON true
    LEFT JOIN _timescaledb_catalog.chunk AS ch ON ch.schema_name = c.chunk_schema AND ch.table_name = c.chunk_name
    LEFT JOIN _timescaledb_catalog.compression_chunk_size AS z ON z.chunk_id = ch.id AND c.is_compressed
    LEFT JOIN policies AS p ON p.ht_schema = c.hypertable_schema AND p.ht_name = c.hypertable_name
),
jobs AS (
    SELECT j.proc_name, s.last_run_status, COALESCE(s.total_failures, 0) AS total_failures,
           COALESCE(j.next_start = '-infinity'
                    OR (j.scheduled AND s.job_status IS DISTINCT FROM 'Running' AND isfinite(j.next_start)
                        AND j.next_start < now() - %(grace)s::interval), false) AS overdue
    FROM timescaledb_information.jobs AS j
    LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
)
SELECT (SELECT count(*) FROM jobs)                                                       AS jobs,
       (SELECT COALESCE(array_agg(proc_name ORDER BY proc_name), '{}')
          FROM jobs WHERE last_run_status = 'Failed')                                   AS failing_procs,
       (SELECT count(*) FROM jobs WHERE overdue)                                         AS overdue_jobs,
       (SELECT COALESCE(sum(total_failures), 0) FROM jobs)::bigint                       AS job_failures,
       (SELECT count(*) FROM chunks)                                                     AS chunks,
       (SELECT count(*) FROM chunks WHERE is_compressed)                                 AS compressed_chunks,
       (SELECT COALESCE(sum(bytes), 0) FROM chunks)::bigint                              AS chunk_bytes,
       (SELECT sum(bytes)::float8 / GREATEST(LEAST(7, extract(epoch FROM now() - min(range_start)) / 86400), 1)
          FROM chunks WHERE range_end > now() - INTERVAL '7 days')                       AS growth_bytes_per_day,
       (SELECT count(*) FROM chunks
         WHERE NOT is_compressed AND range_end < now() - compress_after)                 AS compression_backlog,
       (SELECT sum(before_bytes)::float8 / NULLIF(sum(after_bytes), 0) FROM chunks)      AS compression_ratio,
       (SELECT count(*) FROM chunks WHERE range_end < now() - drop_after)                AS retention_overdue
