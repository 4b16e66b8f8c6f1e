-- seed aftercare: the policy jobs to run once (compression, retention, cagg refresh), with their object.
SELECT job_id, proc_name, coalesce(hypertable_name, '-') AS relation
FROM timescaledb_information.jobs
WHERE proc_name = ANY(%(procs)s)
ORDER BY job_id
