-- Every continuous aggregate of the current schema: how far its materialization lags now (now - watermark) and
-- the lag its refresh policy allows (end_offset + schedule_interval + one bucket). Never refreshed: NULL lag.
WITH cagg AS (
    SELECT ca.view_name, ca.materialization_hypertable_schema AS mat_schema,
           ca.materialization_hypertable_name AS mat_name,
           _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(c.mat_hypertable_id)) AS wm,
           CASE WHEN ca.view_definition ~ 'time_bucket\(''[^'']+''::interval'
                THEN substring(ca.view_definition FROM 'time_bucket\(''([^'']+)''::interval')::interval
           END AS bucket
    FROM timescaledb_information.continuous_aggregates AS ca
    JOIN _timescaledb_catalog.continuous_agg AS c
      ON c.user_view_schema = ca.view_schema AND c.user_view_name = ca.view_name
    WHERE ca.view_schema = current_schema()
)
SELECT cagg.view_name,
       CASE WHEN cagg.wm >= '0001-01-01 00:00:00+00' AND isfinite(cagg.wm)
            THEN GREATEST(now() - cagg.wm, INTERVAL '0') END AS lag,
       p.end_offset + p.schedule_interval + cagg.bucket     AS allowed_lag,
       p.job_id IS NOT NULL                                  AS has_policy
FROM cagg
LEFT JOIN LATERAL (
    SELECT j.job_id, j.schedule_interval,
           CASE jsonb_typeof(j.config -> 'end_offset') WHEN 'string'
                THEN (j.config ->> 'end_offset')::interval END AS end_offset
    FROM timescaledb_information.jobs AS j
    WHERE j.proc_name = 'policy_refresh_continuous_aggregate'
      AND ((j.hypertable_schema = current_schema() AND j.hypertable_name = cagg.view_name)
           OR (j.hypertable_schema = cagg.mat_schema AND j.hypertable_name = cagg.mat_name))
    ORDER BY 3 NULLS FIRST, j.job_id
    LIMIT 1
) AS p ON true
ORDER BY cagg.view_name
