-- Pause a job: the scheduler stops starting it (alter_job, TimescaleDB Community).
SELECT alter_job(%(job_id)s, scheduled => false)
