-- Drift snapshot: user jobs and policies (ids >= 1000), the target named by its view for aggregates (before
-- 2.20 a refresh job's hypertable_name is the materialization hypertable); ids removed from the config.
SELECT j.proc_name AS proc,
       coalesce(ca.view_name, j.hypertable_name, '') AS target,
       jsonb_build_object(
           'proc', j.proc_schema || '.' || j.proc_name,
           'schedule', j.schedule_interval::text,
           'scheduled', j.scheduled,
           'config', (j.config - 'hypertable_id' - 'mat_hypertable_id')::text) AS attrs
FROM timescaledb_information.jobs j
LEFT JOIN timescaledb_information.continuous_aggregates ca
  ON ca.materialization_hypertable_schema = j.hypertable_schema
 AND ca.materialization_hypertable_name = j.hypertable_name
WHERE j.job_id >= 1000
ORDER BY 1, 2, (j.config - 'hypertable_id' - 'mat_hypertable_id')::text
