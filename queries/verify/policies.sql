-- The policy jobs on this schema's hypertables and aggregates, the target named by its view for aggregates
-- (before 2.20 a refresh job's hypertable_name is the materialization hypertable). Intervals in the config
-- are text in the creating session's IntervalStyle: cast server-side, guarded.
SELECT j.job_id,
       j.proc_name,
       coalesce(ca.view_name, j.hypertable_name) AS target,
       j.schedule_interval,
       CASE jsonb_typeof(j.config -> 'compress_after')
            WHEN 'string' THEN (j.config ->> 'compress_after')::interval END AS compress_after,
       CASE jsonb_typeof(j.config -> 'drop_after')
            WHEN 'string' THEN (j.config ->> 'drop_after')::interval END AS drop_after
FROM timescaledb_information.jobs j
LEFT JOIN timescaledb_information.continuous_aggregates ca
  ON ca.materialization_hypertable_schema = j.hypertable_schema
 AND ca.materialization_hypertable_name = j.hypertable_name
WHERE j.proc_name IN ('policy_compression', 'policy_retention', 'policy_refresh_continuous_aggregate')
  AND j.hypertable_name IS NOT NULL
ORDER BY j.job_id
