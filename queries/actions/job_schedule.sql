-- Change a job's schedule interval (its next start stays; the runs after it follow the new interval).
SELECT alter_job(%(job_id)s, schedule_interval => %(interval)s::interval)
