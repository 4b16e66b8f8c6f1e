-- Resume a paused job (alter_job, TimescaleDB Community).
SELECT alter_job(%(job_id)s, scheduled => true)
