-- Retention pane: one row per hypertable and continuous aggregate (its materialization hypertable, labelled by
-- the view name), with its retention policy (drop_after or drop_created_before, the job's next start), its
-- compression policy (compress_after) and, for an aggregate, its refresh window start and its source
-- hypertable's drop_after. The cutoffs are computed here, on real intervals (months included): a chunk is
-- overdue when its range ends before drop_cutoff, or it was created before created_cutoff, yet it is still
-- there (the pane compares the chunk catalog it keeps, chunk_catalog.sql, with them). Interval comparisons (drop
-- before compress, refresh window reaching dropped data) are made here too. A cagg's policies name the view from
-- 2.20 on and the materialization hypertable before: both spellings are matched. Information views over jobs and
-- hypertables only: no chunk is listed, no hypertable scanned. TimescaleDB 2.13+, both editions.
WITH objects AS (
    SELECT h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name,
           h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           'hypertable' AS object_kind, NULL::name AS source_schema, NULL::name AS source_name
    FROM timescaledb_information.hypertables AS h
    UNION ALL
    SELECT ca.materialization_hypertable_schema, ca.materialization_hypertable_name,
           ca.view_schema, ca.view_name,
           'continuous aggregate', ca.hypertable_schema, ca.hypertable_name
    FROM timescaledb_information.continuous_aggregates AS ca
),
policy_jobs AS (
    SELECT o.ht_schema, o.ht_name, j.job_id, j.proc_name, j.scheduled, j.next_start,
           j.config ->> 'drop_after' AS drop_after_raw,
           CASE jsonb_typeof(j.config -> 'drop_after') WHEN 'string'
                THEN (j.config ->> 'drop_after')::interval END            AS drop_after,
           CASE jsonb_typeof(j.config -> 'drop_created_before') WHEN 'string'
                THEN (j.config ->> 'drop_created_before')::interval END   AS drop_created_before,
           CASE jsonb_typeof(j.config -> 'compress_after') WHEN 'string'
                THEN (j.config ->> 'compress_after')::interval END        AS compress_after,
           CASE jsonb_typeof(j.config -> 'start_offset') WHEN 'string'
                THEN (j.config ->> 'start_offset')::interval END          AS start_offset,
           jsonb_typeof(j.config -> 'start_offset') = 'null'               AS refresh_from_beginning
    FROM timescaledb_information.jobs AS j
    JOIN objects AS o
      ON (j.hypertable_schema = o.object_schema AND j.hypertable_name = o.object_name)
      OR (j.hypertable_schema = o.ht_schema AND j.hypertable_name = o.ht_name)
    WHERE j.proc_name IN ('policy_retention', 'policy_compression', 'policy_refresh_continuous_aggregate')
),
policies AS (
    SELECT ht_schema, ht_name,
           min(job_id) FILTER (WHERE proc_name = 'policy_retention')                      AS retention_job_id,
           bool_or(scheduled) FILTER (WHERE proc_name = 'policy_retention')               AS retention_scheduled,
           min(next_start) FILTER (WHERE proc_name = 'policy_retention')                  AS retention_next_start,
           min(drop_after_raw) FILTER (WHERE proc_name = 'policy_retention')              AS drop_after_raw,
           min(drop_after) FILTER (WHERE proc_name = 'policy_retention')                  AS drop_after,
           min(drop_created_before) FILTER (WHERE proc_name = 'policy_retention')         AS drop_created_before,
           min(compress_after) FILTER (WHERE proc_name = 'policy_compression')            AS compress_after,
           max(start_offset) FILTER (WHERE proc_name = 'policy_refresh_continuous_aggregate') AS refresh_start_offset,
           COALESCE(bool_or(refresh_from_beginning)
                    FILTER (WHERE proc_name = 'policy_refresh_continuous_aggregate'), false) AS refresh_from_beginning
    FROM policy_jobs
    GROUP BY ht_schema, ht_name
),
described AS (
    SELECT o.*, p.retention_job_id, p.retention_scheduled, p.retention_next_start, p.drop_after_raw,
           p.drop_after, p.drop_created_before, p.compress_after, p.refresh_start_offset,
           COALESCE(p.refresh_from_beginning, false) AS refresh_from_beginning,
           sp.drop_after AS source_drop_after
    FROM objects AS o
    LEFT JOIN policies AS p ON p.ht_schema = o.ht_schema AND p.ht_name = o.ht_name
    LEFT JOIN policies AS sp ON sp.ht_schema = o.source_schema AND sp.ht_name = o.source_name
)
SELECT d.object_schema,
       d.object_name,
       d.object_kind,
       d.ht_schema                                                   AS hypertable_schema,
       d.ht_name                                                     AS hypertable_name,
       d.source_name,
       d.retention_job_id,
       COALESCE(d.retention_scheduled, false)                        AS retention_scheduled,
       CASE WHEN d.retention_scheduled AND isfinite(d.retention_next_start)
            THEN d.retention_next_start END                          AS next_drop,
       d.drop_after,
       COALESCE(d.drop_after::text, d.drop_after_raw)                AS drop_after_text,
       d.drop_created_before::text                                   AS drop_created_before_text,
       d.compress_after,
       d.compress_after::text                                        AS compress_after_text,
       d.refresh_start_offset::text                                  AS refresh_start_offset_text,
       d.source_drop_after::text                                     AS source_drop_after_text,
       COALESCE(d.drop_after <= d.compress_after, false)             AS drops_before_compressing,
       COALESCE(d.source_drop_after IS NOT NULL
                AND (d.refresh_from_beginning OR d.refresh_start_offset >= d.source_drop_after), false)
                                                                     AS refresh_reaches_dropped_source,
       COALESCE(d.drop_after IS NOT NULL
                AND (d.refresh_from_beginning OR d.refresh_start_offset >= d.drop_after), false)
                                                                     AS refresh_reaches_own_retention,
       now() - d.drop_after                                          AS drop_cutoff,
       now() - d.drop_created_before                                 AS created_cutoff
FROM described AS d
ORDER BY d.object_kind DESC, d.object_schema, d.object_name
