-- Job runs logged since a moment (TimescaleDB 2.15+: failures always, successes only with
-- timescaledb.enable_job_execution_logging = on), oldest first, at most 200 per snapshot.
SELECT job_id, start_time AS started_at, succeeded, err_message AS message
FROM timescaledb_information.job_history
WHERE start_time > %(since)s
ORDER BY start_time
LIMIT 200
