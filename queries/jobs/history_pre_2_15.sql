-- A job's recent failures (TimescaleDB 2.9-2.14: job_errors only; successes are not logged).
SELECT start_time AS started_at, finish_time AS finished_at, false AS succeeded, sqlerrcode, err_message
FROM timescaledb_information.job_errors
WHERE job_id = %(job_id)s
ORDER BY start_time DESC NULLS LAST
LIMIT %(limit)s
