-- Run a job now, in this session (the user confirmed it). Needs TimescaleDB Community.
CALL run_job(%(job_id)s)
