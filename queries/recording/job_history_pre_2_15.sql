-- Job failures logged since a moment (TimescaleDB 2.9-2.14: job_errors only; successes are not logged).
SELECT job_id, start_time AS started_at, false AS succeeded, err_message AS message
FROM timescaledb_information.job_errors
WHERE start_time > %(since)s
ORDER BY start_time
LIMIT 200
