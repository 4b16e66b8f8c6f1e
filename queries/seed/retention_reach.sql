-- seed aftercare: retention policies on the seeded hypertables that will drop part of the seeded window
-- (the window starts before now() - drop_after). Intervals are text in jobs.config: cast only strings.
SELECT hypertable_name, config ->> 'drop_after' AS drop_after
FROM timescaledb_information.jobs
WHERE proc_name = 'policy_retention'
  AND hypertable_name IN ('llm_traces', 'llm_logs', 'llm_metrics')
  AND jsonb_typeof(config -> 'drop_after') = 'string'
  AND now() - (config ->> 'drop_after')::interval > %(start)s
ORDER BY hypertable_name
