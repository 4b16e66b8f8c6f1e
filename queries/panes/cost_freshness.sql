-- Cost pane, step 1: the hourly cost aggregate found in step 0 (cost_source.sql; cost_analysis_hourly as shipped)
-- and how fresh it is. Parameters: view_schema, view_name. The watermark is the end of the last
-- materialized bucket (cagg_watermark, _timescaledb_functions since 2.12); an aggregate never refreshed has the
-- type's minimum (4714 BC), returned here as NULL with never_refreshed. A watermark past the end of the current
-- bucket is a finding. The refresh policy (several are possible since 2.21: the one refreshing closest to now
-- is shown) gives the lag to expect: end_offset + schedule_interval + one bucket. A cagg's policy names the view
-- from 2.20 on and the materialization hypertable before: both spellings are matched. Catalogs only.
WITH cagg AS (
    SELECT ca.view_schema, ca.view_name, ca.materialized_only,
           ca.materialization_hypertable_schema AS mat_schema, ca.materialization_hypertable_name AS mat_name,
           c.mat_hypertable_id,
           _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(c.mat_hypertable_id)) AS wm
    FROM timescaledb_information.continuous_aggregates AS ca
    JOIN _timescaledb_catalog.continuous_agg AS c
      ON c.user_view_schema = ca.view_schema AND c.user_view_name = ca.view_name
    WHERE ca.view_schema = %(view_schema)s AND ca.view_name = %(view_name)s
),
policy AS (
    SELECT j.job_id, j.scheduled, j.schedule_interval, j.next_start,
           CASE jsonb_typeof(j.config -> 'start_offset') WHEN 'string'
                THEN (j.config ->> 'start_offset')::interval END AS start_offset,
           CASE jsonb_typeof(j.config -> 'end_offset') WHEN 'string'
                THEN (j.config ->> 'end_offset')::interval END   AS end_offset,
           s.last_successful_finish
    FROM cagg
    JOIN timescaledb_information.jobs AS j
      ON j.proc_name = 'policy_refresh_continuous_aggregate'
     AND ((j.hypertable_schema = cagg.view_schema AND j.hypertable_name = cagg.view_name)
          OR (j.hypertable_schema = cagg.mat_schema AND j.hypertable_name = cagg.mat_name))
    LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
    ORDER BY end_offset NULLS FIRST, j.job_id
    LIMIT 1
)
SELECT cagg.view_schema,
       cagg.view_name,
       cagg.materialized_only,
       cagg.mat_hypertable_id,
       cagg.wm < '0001-01-01 00:00:00+00'                                     AS never_refreshed,
       CASE WHEN cagg.wm >= '0001-01-01 00:00:00+00' AND isfinite(cagg.wm) THEN cagg.wm END AS watermark,
       CASE WHEN cagg.wm >= '0001-01-01 00:00:00+00' AND isfinite(cagg.wm) THEN GREATEST(now() - cagg.wm, INTERVAL '0') END AS lag,
       COALESCE(cagg.wm > time_bucket(INTERVAL '1 hour', now()) + INTERVAL '1 hour', false) AS watermark_in_future,
       INTERVAL '1 hour'                                                       AS bucket_width,
       p.job_id                                                                AS policy_job_id,
       COALESCE(p.scheduled, false)                                            AS policy_scheduled,
       p.schedule_interval,
       p.start_offset::text                                                    AS start_offset_text,
       p.end_offset::text                                                      AS end_offset_text,
       p.end_offset + p.schedule_interval + INTERVAL '1 hour'                  AS expected_max_lag,
       CASE WHEN isfinite(p.last_successful_finish) THEN p.last_successful_finish END AS last_refresh,
       CASE WHEN p.scheduled AND isfinite(p.next_start) THEN p.next_start END  AS next_refresh,
       now()                                                                   AS db_now
FROM cagg
LEFT JOIN policy AS p ON true
