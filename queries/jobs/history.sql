-- A job's recent runs (TimescaleDB 2.15+: job_history logs failures always, successes only with
-- timescaledb.enable_job_execution_logging = on).
SELECT start_time AS started_at, finish_time AS finished_at, succeeded, sqlerrcode, err_message
FROM timescaledb_information.job_history
WHERE job_id = %(job_id)s
ORDER BY start_time DESC NULLS LAST
LIMIT %(limit)s
