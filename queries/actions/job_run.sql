-- Run a job now, in this session, outside a transaction (run_job commits as it goes).
CALL run_job(%(job_id)s)
