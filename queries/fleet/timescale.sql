-- Fleet, step 2 (TimescaleDB installed): one row of cheap figures per database, read straight from the catalog
-- tables TimescaleDB's timescaledb_information views are made of (their columns are the same from 2.19 to 2.23) and
-- from PostgreSQL's catalogs; no hypertable is scanned. A new server process has to plan this on its first refresh,
-- and the views' nested joins cost it about twice as much (bench --fleet: what a cold refresh pays per database).
-- Jobs: failing ones (a last run that finished unsuccessfully; their procedures, so the caller can set aside the
-- Apache build's known failure), the application names of the late ones (scheduled, next start past a 5-minute
-- grace: overdue unless running, which fleet/running_jobs.sql asks only when there is one), the number stuck at a
-- -infinity next start (overdue) and failures counted since the job was created. Chunks of every hypertable (continuous aggregates' too, not the internal compressed ones), a chunk's
-- range being the slice of its first dimension where that is a time: count, size (catalog statistics for settled
-- chunks, exact for chunks written since their last ANALYZE, the recorded compressed size for compressed ones),
-- the bytes per day of the chunks of the last 7 days, compression backlog (uncompressed past the policy's
-- compress_after) and retention overdue (still there past drop_after); a policy's job names its hypertable by id
-- (an aggregate's: its materialization hypertable). No bind parameter: a prepared statement with one is planned
-- anew for its first five executions, one without keeps its first plan.
WITH policies AS (
    SELECT j.hypertable_id,
           min(CASE WHEN jsonb_typeof(j.config -> 'compress_after') = 'string'
                    THEN (j.config ->> 'compress_after')::interval END) AS compress_after,
           min(CASE WHEN jsonb_typeof(j.config -> 'drop_after') = 'string'
                    THEN (j.config ->> 'drop_after')::interval END)     AS drop_after
    FROM _timescaledb_config.bgw_job AS j
    WHERE j.proc_name IN ('policy_compression', 'policy_retention') AND j.hypertable_id IS NOT NULL
    GROUP BY j.hypertable_id
),
chunks AS (
    SELECT k.range_start, k.range_end, k.is_compressed, p.compress_after, p.drop_after,
           CASE WHEN k.is_compressed THEN COALESCE(z.compressed_heap_size + z.compressed_toast_size
                                                   + z.compressed_index_size, 0)
                WHEN cl.reltuples < 0 OR pg_stat_get_mod_since_analyze(cl.oid) > 0 THEN pg_total_relation_size(cl.oid)
                ELSE (cl.relpages
                      + COALESCE((SELECT t.relpages FROM pg_class AS t WHERE t.oid = cl.reltoastrelid), 0)
                      + COALESCE((SELECT sum(i.relpages) FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                                  WHERE x.indrelid = cl.oid), 0))::bigint * current_setting('block_size')::bigint
           END AS bytes,
           z.uncompressed_heap_size + z.uncompressed_toast_size + z.uncompressed_index_size AS before_bytes,
           z.compressed_heap_size + z.compressed_toast_size + z.compressed_index_size       AS after_bytes
    FROM (SELECT ch.id, ch.hypertable_id, (ch.status & 1) = 1 AS is_compressed,
                 to_regclass(format('%I.%I', ch.schema_name, ch.table_name)) AS relid,
                 CASE WHEN s.column_type IN ('timestamp'::regtype, 'timestamptz'::regtype, 'date'::regtype)
                      THEN _timescaledb_functions.to_timestamp(s.range_start) END AS range_start,
                 CASE WHEN s.column_type IN ('timestamp'::regtype, 'timestamptz'::regtype, 'date'::regtype)
                      THEN _timescaledb_functions.to_timestamp(s.range_end) END   AS range_end
          FROM _timescaledb_catalog.chunk AS ch
          JOIN _timescaledb_catalog.hypertable AS h ON h.id = ch.hypertable_id AND h.compression_state <> 2
          JOIN LATERAL (SELECT x.range_start, x.range_end, y.column_type
                        FROM _timescaledb_catalog.chunk_constraint AS cc
                        JOIN _timescaledb_catalog.dimension_slice AS x ON x.id = cc.dimension_slice_id
                        JOIN _timescaledb_catalog.dimension AS y ON y.id = x.dimension_id
                        WHERE cc.chunk_id = ch.id
                        ORDER BY y.id LIMIT 1) AS s ON true
          WHERE NOT ch.dropped AND NOT ch.osm_chunk) AS k
    JOIN pg_class AS cl ON cl.oid = k.relid
    LEFT JOIN _timescaledb_catalog.compression_chunk_size AS z ON z.chunk_id = k.id AND k.is_compressed
    LEFT JOIN policies AS p ON p.hypertable_id = k.hypertable_id
),
jobs AS (
    SELECT j.proc_name, j.application_name, s.next_start,
           s.last_finish >= '4714-11-24 00:00:00+00 BC' AND NOT s.last_run_success AS failed,
           COALESCE(s.total_failures, 0) AS total_failures,
           j.scheduled AND isfinite(s.next_start) AND s.next_start < now() - INTERVAL '5 minutes' AS late
    FROM _timescaledb_config.bgw_job AS j
    LEFT JOIN _timescaledb_internal.bgw_job_stat AS s ON s.job_id = j.id
)
SELECT (SELECT count(*) FROM jobs)                                                       AS jobs,
       (SELECT COALESCE(array_agg(proc_name ORDER BY proc_name), '{}') FROM jobs WHERE failed) AS failing_procs,
       (SELECT count(*) FROM jobs WHERE next_start = '-infinity')                        AS stuck_jobs,
       (SELECT COALESCE(array_agg(application_name), '{}') FROM jobs WHERE late)        AS late_jobs,
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
