-- bench --chunks floor: the jobs pane's read (jobs and their statistics, information views).
SELECT j.job_id, j.proc_name, j.scheduled, j.config, j.next_start, s.last_run_status, s.total_failures
FROM timescaledb_information.jobs AS j
LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
