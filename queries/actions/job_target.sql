-- One job as an action shows it before touching it: what it is, what it works on, its schedule.
SELECT job_id, application_name, proc_name, hypertable_schema, hypertable_name, schedule_interval, scheduled
FROM timescaledb_information.jobs
WHERE job_id = %(job_id)s
